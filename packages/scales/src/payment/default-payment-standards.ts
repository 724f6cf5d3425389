import { deepFreeze } from '../deep-freeze.js';
import type { PaymentStandard } from './payment-standard.js';

/**
 * The *default* payment standard of DOMAIN.md §3 (a Shandong city's published scheme): a
 * placeholder until the city's own scheme, with its real effective date, is entered as data.
 */
export const DEFAULT_PAYMENT_STANDARDS: readonly PaymentStandard[] = deepFreeze([
  {
    version: 'shandong-default-2024',
    effectiveFrom: '2024-01-01',
    title: '长期护理保险待遇支付标准（默认）',
    modes: {
      'medical-special-care': {
        kind: 'by-hospital-level',
        levels: {
          1: { kind: 'share', fundSharePercent: 80, capPerDayYuan: 80 },
          2: { kind: 'share', fundSharePercent: 75, capPerDayYuan: 100 },
          3: { kind: 'share', fundSharePercent: 70, capPerDayYuan: 120 },
        },
      },
      'institutional-care': { kind: 'share', fundSharePercent: 75, capPerDayYuan: 60 },
      'home-visiting-care': { kind: 'share', fundSharePercent: 90, capPerDayYuan: 45 },
      'home-self-care': { kind: 'flat', perDayYuan: 30 },
    },
  },
]);
