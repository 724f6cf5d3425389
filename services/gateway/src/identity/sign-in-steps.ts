import { ProblemError, type Problem } from '@fbl/service-kit';
import type { TotpOffer } from './second-factor.js';

/**
 * A refusal of a sign-in that asks for its next step, with members of its own beside the
 * RFC 9457 ones (`secondFactor`, `enrolment`): the client sends the same sign-in again with
 * what was asked for.
 */
export class SignInStep extends ProblemError {
  constructor(
    status: number,
    slug: string,
    title: string,
    detail: string,
    private readonly members: Record<string, unknown>,
  ) {
    super(status, slug, title, detail);
  }

  override toProblem(instance?: string): Problem {
    return Object.assign(super.toProblem(instance), this.members);
  }

  /** The password was right; the account's authenticator code (or a recovery code) is needed too. */
  static code(): SignInStep {
    return new SignInStep(401, 'second-factor-required', 'Code needed', 'send the sign-in again with the code of your authenticator app (`code`) or a recovery code (`recoveryCode`)', { secondFactor: 'totp' });
  }

  /** The password was right; the account must enrol a second factor first: the secret offered, to confirm with a first code. */
  static enrol(offer: TotpOffer): SignInStep {
    return new SignInStep(403, 'second-factor-enrolment-required', 'Second factor needed', 'accounts of this role sign in with a second factor: add the secret to an authenticator app and send the sign-in again with its code (`code`)', { secondFactor: 'totp', enrolment: offer });
  }

  /** The password was right but has expired: send the sign-in again with a new one (`newPassword`). */
  static passwordExpired(): SignInStep {
    return new SignInStep(403, 'password-expired', 'Password expired', 'the password has expired: send the sign-in again with a new password (`newPassword`)', {});
  }
}

/** A wrong or reused code, or a recovery code that is not one or was used: counted like a wrong password. */
export const wrongCode = () => new ProblemError(401, 'second-factor-failed', 'Wrong code', 'the code is wrong, or was used already');
