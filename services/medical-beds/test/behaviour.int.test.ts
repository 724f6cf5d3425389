import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { BED_POLICIES } from '@fbl/bed-inventory';

bedServiceBehaviour({ policy: BED_POLICIES['medical'], institutionKind: 'hospital', unit: { kind: 'bed', attributes: { department: '老年医学科' } } });
