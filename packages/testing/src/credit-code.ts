import { creditCodeCheckChar } from '@fbl/codes';

let codes = 0;

/**
 * A made-up unified social credit code with a valid check character, different on each call
 * within a run. Free of vitest, so benchmarks and scripts can use it too.
 */
export function testCreditCode(divisionCode = '371702'): string {
  codes += 1;
  const first17 = `52${divisionCode}MA${String((Date.now() % 100_000) * 100 + (codes % 100)).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}
