declare module 'asl-validator' {
  interface Result {
    isValid: boolean;
    errors: { message?: string; [k: string]: unknown }[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown, options?: Record<string, unknown>): Result;
}
declare module '@wmfs/statelint' {
  const factory: () => { validate(definition: unknown): string[] };
  export default factory;
}
