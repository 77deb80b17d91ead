import { beforeAll, inject } from 'vitest';

// Every test file starts from an empty emulated account.
beforeAll(async () => {
  const endpoint = inject('motoEndpoint');
  if (endpoint) {
    const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
  }
});
