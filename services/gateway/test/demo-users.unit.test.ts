import { describe, expect, it } from 'vitest';
import { demoUsers } from '../src/identity/demo-users.js';
import { hashPassword, verifyPassword } from '../src/identity/passwords.js';

describe('demo accounts: their password hashes made beforehand', () => {
  const users = demoUsers({ hospitalId: 'h', careHomeId: 'c', homeCareId: 'hc', healthCentreId: 'chc', hospiceId: 'hs', division: '371700' });

  // 23 scrypt hashes at the accounts' cost: seconds on a loaded machine, so a generous limit.
  it('holds for each account a hash of its own password, at the cost and in the form of every account', { timeout: 120_000 }, async () => {
    const costAndForm = (await hashPassword('cost-of-every-1')).split('$').slice(0, 4).join('$');
    expect(users).toHaveLength(11);
    for (const user of users) {
      expect(user.passwordHash.split('$').slice(0, 4).join('$'), user.username).toBe(costAndForm);
      expect(await verifyPassword(user.password, user.passwordHash), user.username).toBe(true);
      expect(await verifyPassword(`${user.password}x`, user.passwordHash), user.username).toBe(false);
    }
    // A salt of its own per account.
    expect(new Set(users.map((u) => u.passwordHash.split('$')[4])).size).toBe(users.length);
  });
});
