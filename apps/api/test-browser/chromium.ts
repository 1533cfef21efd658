import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflate } from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

/** Where @sparticuz/chromium keeps its compressed binary and libraries. */
const packageDir = resolve(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
/** Unpacked once per version, beside the installed packages; `complete` marks a finished unpack. */
const cacheDir = resolve(import.meta.dirname, `../node_modules/.cache/chromium-${version}`);

/**
 * `inflate` unpacks into `os.tmpdir()`, which it reads when called: point it at the cache dir
 * for the call only (the output path is fixed before the first await).
 */
function inflateInto(dir: string, archive: string): Promise<string> {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return inflate(join(packageDir, 'bin', archive));
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}

/**
 * The Chromium binary and the libraries it needs beyond glibc (NSS, NSPR, expat), which a bare
 * Linux does not have: the package ships them for Amazon Linux and unpacks them only there.
 */
async function unpackedChromium(): Promise<{ executable: string; libraries: string }> {
  const marker = join(cacheDir, 'complete');
  if (!existsSync(marker)) {
    // A half-finished unpack (an interrupted run) is thrown away, not trusted.
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    await Promise.all([inflateInto(cacheDir, 'chromium.br'), inflateInto(cacheDir, 'al2023.tar.br')]);
    writeFileSync(marker, '');
  }
  return { executable: join(cacheDir, 'chromium'), libraries: join(cacheDir, 'al2023', 'lib') };
}

/**
 * Headless Chromium with nothing installed but Node (Linux x64): the build @sparticuz/chromium
 * publishes to npm. `CHROMIUM_PATH` picks a local Chrome or Chromium instead. The package's own
 * flag set is not used: it turns off web security, and with it the CORS checks the tests rely on.
 */
export async function launchChromium(): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--no-zygote',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ];
  const local = process.env.CHROMIUM_PATH;
  if (local) return playwright.launch({ executablePath: local, args });
  const { executable, libraries } = await unpackedChromium();
  const inherited = process.env.LD_LIBRARY_PATH;
  return playwright.launch({
    executablePath: executable,
    args,
    env: { ...process.env, LD_LIBRARY_PATH: inherited ? `${libraries}:${inherited}` : libraries },
  });
}
