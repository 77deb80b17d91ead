/**
 * YAML parsing, with the parser loaded on first use: code that only may read YAML (the catalog loaders, which
 * the bundles replace with compiled data; the config loader, whose schemas the functions use) does not load
 * it at start.
 */
export async function parseYaml(text: string): Promise<unknown> {
  const yaml: typeof import('yaml') & { default?: typeof import('yaml') } = await import('yaml');
  // The CLI bundle inlines yaml's CommonJS build, which a split chunk exposes only as its default export.
  return (yaml.default ?? yaml).parse(text);
}
