/** A bench script's `--name value` options: `const arg = cliOptions(); arg('seconds', '10')`. */
export function cliOptions(argv: readonly string[] = process.argv.slice(2)): (name: string, fallback: string) => string {
  return (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
}
