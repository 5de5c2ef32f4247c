import { Injectable, OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';

/** OWASP's argon2id profile (19 MiB, 2 iterations, 1 lane). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MAX_PASSWORD_LENGTH = 128;

/** The length policy (NIST 800-63B: length, not composition rules). Null when acceptable. */
export function passwordProblem(password: string, minLength: number): string | null {
  const n = [...password].length;
  if (n < minLength) return `密码至少 ${minLength} 个字符 (at least ${minLength} characters)`;
  if (n > MAX_PASSWORD_LENGTH) return `密码至多 ${MAX_PASSWORD_LENGTH} 个字符 (at most ${MAX_PASSWORD_LENGTH} characters)`;
  return null;
}

@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when the login name is unknown, so that answer takes as long as a wrong password. */
  private dummy: string;

  async onModuleInit(): Promise<void> {
    this.dummy = await argon2.hash('dummy password for timing', OPTIONS);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? this.dummy, password);
    } catch {
      return false;
    }
  }

  /** The same work as a verification, for a login that fails before one (unknown user). */
  async burn(password: string): Promise<void> {
    await this.verify(this.dummy, password);
  }
}
