import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../kernel/errors';

/** scrypt's block size and parallelism; N (the cost) comes from config (VEILDESK_PASSWORD_SCRYPT_N). */
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** A stored hash naming a cost above this is refused rather than allowed to take gigabytes. */
const MAX_N = 1 << 20;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export interface PasswordHasherOptions {
  /** Cost of new hashes: a power of two (production 2^17). */
  N: number;
  /** Hashes computed at once; each needs 128·N·r bytes (128 MiB at 2^17). */
  concurrency?: number;
  /** Callers that may wait for a slot; beyond them the hash is refused (503, Retry-After). */
  queue?: number;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // Node refuses unless maxmem exceeds 128·N·r; twice that leaves room for its bookkeeping.
  const maxmem = Math.max(32 * 1024 * 1024, 2 * 128 * params.N * params.r * params.p);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so the cost can be raised later. */
export function parseHash(stored: string): (ScryptParams & { salt: Buffer; hash: Buffer }) | null {
  const [scheme, n, r, p, salt, hash, extra] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || extra !== undefined) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0) || params.N > MAX_N || params.r * params.p > 64) return null;
  return { ...params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

/**
 * Hashes and checks staff passwords with scrypt. Memory-hard on purpose, so only `concurrency`
 * hashes run at once: a burst of sign-ins waits its turn (up to `queue` of them) instead of taking
 * all the server's memory; past that it is refused with 503 and a Retry-After.
 */
export class PasswordHasher {
  readonly params: ScryptParams;
  private readonly concurrency: number;
  private readonly queueMax: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private decoy: Promise<string> | undefined;

  constructor(options: PasswordHasherOptions) {
    this.params = { N: options.N, r: R, p: P };
    this.concurrency = options.concurrency ?? 2;
    this.queueMax = options.queue ?? 32;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.slot(() => derive(password, salt, this.params));
    return ['scrypt', this.params.N, this.params.r, this.params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Checks a password against a stored hash made with any parameters. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseHash(stored);
    if (!parsed) return false;
    const key = await this.slot(() => derive(password, parsed.salt, parsed));
    return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
  }

  /** Whether a stored hash was made with other parameters than new ones get (it is rehashed at the next sign-in). */
  needsRehash(stored: string): boolean {
    const parsed = parseHash(stored);
    return !parsed || parsed.N !== this.params.N || parsed.r !== this.params.r || parsed.p !== this.params.p;
  }

  /** A hash of a random password, checked when the username is unknown so timing does not reveal it. */
  decoyHash(): Promise<string> {
    this.decoy ??= this.hash(randomBytes(16).toString('hex'));
    // A refused decoy (server busy) is made again next time.
    this.decoy.catch(() => (this.decoy = undefined));
    return this.decoy;
  }

  /** Hashes running plus waiting (for tests and metrics). */
  get load(): number {
    return this.active + this.waiting.length;
  }

  private async slot<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queueMax) {
        throw new DomainError('unavailable', 'The server is busy checking other sign-ins. Try again in a few seconds.', { retryAfterSeconds: 2 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter (active stays counted), else it is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
