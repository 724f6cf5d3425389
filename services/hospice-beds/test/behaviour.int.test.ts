import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { BED_POLICIES } from '@fbl/bed-inventory';

bedServiceBehaviour({ policy: BED_POLICIES['hospice'], institutionKind: 'hospital', unit: { kind: 'bed', attributes: { mode: 'inpatient' } } });
