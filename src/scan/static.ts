import type { Hit } from './types.ts';

export function scanStatic(_kind: string, _path: string, _text: string): Hit[] {
  return [];
}
