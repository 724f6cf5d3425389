// The part of sm-crypto (an independent SM2 implementation, a test dependency) the cross-checks use.
declare module 'sm-crypto' {
  interface SignatureOptions {
    hash?: boolean;
    der?: boolean;
    publicKey?: string;
    userId?: string;
  }
  export const sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    getPublicKeyFromPrivateKey(privateKey: string): string;
    doSignature(message: string | number[], privateKey: string, options?: SignatureOptions): string;
    doVerifySignature(message: string | number[], signature: string, publicKey: string, options?: SignatureOptions): boolean;
  };
}
