/**
 * The YAML parser, loaded when a file is parsed: the CLI bundle reads the built-in catalog compiled to data, so
 * a command that reads no config file, governance file or custom catalog never loads the parser.
 */
export const yaml = (): Promise<typeof import('yaml')> => import('yaml');
