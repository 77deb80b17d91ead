/** The npm tarball's size budget: the tarball test fails above it and `npm run bench` prints it. */
export const TARBALL_BUDGET_BYTES = 8 * 1024 * 1024;
