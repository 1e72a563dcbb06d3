import { generateKeyPairSync } from 'node:crypto';

export interface PemKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

let cached: PemKeyPair | undefined;

/**
 * An RSA-2048 pair for JWT bearer tests, generated once per process (it takes ~100 ms) and never
 * written to disk, so no private key is ever committed.
 */
export function testKeyPair(): PemKeyPair {
  if (!cached) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    cached = { publicKeyPem: publicKey, privateKeyPem: privateKey };
  }
  return cached;
}
