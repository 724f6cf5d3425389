import { createDivisionTable, type Division, type DivisionTable } from '../divisions.js';

/*
 * Shandong province (山东省), GB/T 2260 division codes as of January 2024. Dated data: verify
 * against the Ministry of Civil Affairs list (民政部 县级以上行政区划代码) before go-live.
 *
 * Holds the province, its 16 prefecture-level cities, and the county-level divisions of the
 * four cities of the pilot only (济宁, 威海, 聊城, 菏泽). Counties of the other twelve cities
 * are deliberately absent rather than guessed. Excluded: the statistical "市辖区" (XXYY01)
 * and development-zone (XXYY7Z) codes, which are not GB/T 2260 divisions.
 *
 * Recent changes reflected: 370812 兖州区 (兖州市 370882 until 2013), 371003 文登区 (文登市
 * 371081 until 2014), 371703 定陶区 (定陶县 371727 until 2016), 371503 茌平区 (茌平县
 * 371523 until 2019). Old IDs may still carry the retired codes.
 */

const province = (code: string, name: string): Division => ({ code, name, level: 'province' });
const city = (code: string, name: string): Division => ({ code, name, level: 'city' });
const county = (code: string, name: string): Division => ({ code, name, level: 'county' });

const divisions: readonly Division[] = [
  province('370000', '山东省'),

  city('370100', '济南市'),
  city('370200', '青岛市'),
  city('370300', '淄博市'),
  city('370400', '枣庄市'),
  city('370500', '东营市'),
  city('370600', '烟台市'),
  city('370700', '潍坊市'),
  city('370800', '济宁市'),
  city('370900', '泰安市'),
  city('371000', '威海市'),
  city('371100', '日照市'),
  city('371300', '临沂市'),
  city('371400', '德州市'),
  city('371500', '聊城市'),
  city('371600', '滨州市'),
  city('371700', '菏泽市'),

  // 济宁市
  county('370811', '任城区'),
  county('370812', '兖州区'),
  county('370826', '微山县'),
  county('370827', '鱼台县'),
  county('370828', '金乡县'),
  county('370829', '嘉祥县'),
  county('370830', '汶上县'),
  county('370831', '泗水县'),
  county('370832', '梁山县'),
  county('370881', '曲阜市'),
  county('370883', '邹城市'),

  // 威海市
  county('371002', '环翠区'),
  county('371003', '文登区'),
  county('371082', '荣成市'),
  county('371083', '乳山市'),

  // 聊城市
  county('371502', '东昌府区'),
  county('371503', '茌平区'),
  county('371521', '阳谷县'),
  county('371522', '莘县'),
  county('371524', '东阿县'),
  county('371525', '冠县'),
  county('371526', '高唐县'),
  county('371581', '临清市'),

  // 菏泽市
  county('371702', '牡丹区'),
  county('371703', '定陶区'),
  county('371721', '曹县'),
  county('371722', '单县'),
  county('371723', '成武县'),
  county('371724', '巨野县'),
  county('371725', '郓城县'),
  county('371726', '鄄城县'),
  county('371728', '东明县'),
];

/** 山东省行政区划代码: Shandong division table, edition '2024-01' (partial, see the data file). */
export const shandongDivisions: DivisionTable = createDivisionTable('2024-01', divisions);
