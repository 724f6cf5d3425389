import { deepFreeze } from '../deep-freeze.js';
import type { AbilityItem, AbilityRules, ScoreWording } from './ability-rules.js';

/** Scores 0, 1, …, max: every GB/T 42195 item is scored on a run of integers. */
const upTo = (max: number): number[] => Array.from({ length: max + 1 }, (_, score) => score);

/** The wording of scores max, max − 1, …, 0, in the order the table prints them. */
const scored = (...texts: string[]): ScoreWording[] => texts.map((zh, i) => ({ score: texts.length - 1 - i, zh }));

/** The five steps of help most self-care and transfer items share (tables B.1, B.2). */
const HELP_STEPS = scored('独立完成，不需要协助', '在他人指导或提示下完成', '需要他人协助，但以自身完成为主', '主要依靠他人协助，自身能给予配合', '完全依赖他人协助，且不能给予配合');

/** An item: its code and maximum are ours (the API's and stored records'), the rest the standard's words. */
const item = (code: string, ref: string, zh: string, max: number, wording: ScoreWording[], text: { description?: string; note?: string } = {}): AbilityItem => ({
  code,
  ref,
  zh,
  allowed: upTo(max),
  ...text,
  wording,
});

/**
 * GB/T 42195-2022 老年人能力评估规范 (Assessment specifications for older adults), as read in
 * DOMAIN.md §2. The level bands must be checked against the standard before go-live.
 * `effectiveFrom` is the publication date; the standard applies from it.
 *
 * Each item carries the standard's words from its tables B.1–B.4 (老年人能力评估表, 基础运动能力
 * 评估表, 精神状态评估表, 感知觉与社会参与评估表): what it assesses, its note, and every score's
 * wording. They were taken from a public transcription of the tables; where that transcription
 * has an evident slip and a second transcription of the 2022 tables reads otherwise, the second
 * is followed: B.1.7 3 分 "每周<1次" (the transcription's "每天<1次" would overlap 2 分),
 * B.3.9 2 分 "正确反应", B.4.3 "时需要" (not "是需要"), B.4.5 2 分 "不会主动待人". The item
 * maxima agree with both transcriptions. Compare the words with the printed standard before go-live.
 */
export const GB_T_42195_2022: AbilityRules = deepFreeze({
  version: 'GB/T 42195-2022',
  effectiveFrom: '2022-12-30',
  title: '老年人能力评估规范',
  dimensions: {
    selfCare: {
      zh: '自理能力',
      en: 'self-care',
      items: [
        item(
          'eating',
          'B.1.1',
          '进食',
          4,
          scored(
            '独立使用器具将食物送进口中并咽下，没有呛咳',
            '在他人指导或提示下完成，或独立使用辅具，没有呛咳',
            '进食中至少需要少量接触式协助，偶尔（每月一次及以上）呛咳',
            '在进食中需要大量接触式协助，经常（每周一次及以上）呛咳',
            '完全依赖他人协助进食，或吞咽困难，或留置营养管',
          ),
          { description: '使用适当的器具将食物送入口中并咽下' },
        ),
        item('grooming', 'B.1.2', '修饰', 4, HELP_STEPS, { description: '指洗脸、刷牙、梳头、刮脸、剪指（趾）甲等' }),
        item('bathing', 'B.1.3', '洗澡', 4, HELP_STEPS, { description: '清洗和擦干身体' }),
        item('dressingUpper', 'B.1.4', '穿/脱上衣', 4, HELP_STEPS, { description: '指穿/脱上身衣服、系扣、拉拉链等' }),
        item('dressingLower', 'B.1.5', '穿/脱裤子和鞋袜', 4, HELP_STEPS, { description: '指穿/脱裤子、鞋袜等' }),
        item(
          'urineControl',
          'B.1.6',
          '小便控制',
          4,
          scored(
            '可自行控制排尿，排尿次数、排尿控制均正常',
            '白天可自行控制排尿次数，夜间出现排尿次数增多、排尿控制较差，或自行使用尿布、尿垫等辅助用物',
            '白天大部分时间可自行控制排尿，偶出现（每天<1次，但每周>1次）尿失禁，夜间控制排尿较差，或他人少量协助使用尿布、尿垫等辅助用物',
            '白天大部分时间不能控制排尿（每天≥1次，但尚非完全失控），夜间出现尿失禁，或他人大量协助使用尿布、尿垫等辅助用物',
            '小便失禁，完全不能控制排尿，或留置导尿管',
          ),
          { description: '控制和排出尿液的能力' },
        ),
        item(
          'bowelControl',
          'B.1.7',
          '大便控制',
          4,
          scored(
            '可正常自行控制大便排出',
            '有时出现（每周<1次）便秘或大便失禁，或自行使用开塞露、尿垫等辅助用物',
            '经常出现（每天<1次，但每周>1次）便秘或大便失禁，或他人少量协助使用开塞露、尿垫等辅助用物',
            '大部分时间均出现（每天≥1次）便秘或大便失禁，但尚非完全失控，或他人大量协助使用开塞露、尿垫等辅助用物',
            '严重便秘或者完全大便失禁，需要依赖他人协助排便或清洁皮肤',
          ),
          { description: '控制和排出粪便的能力' },
        ),
        item('toileting', 'B.1.8', '如厕', 4, HELP_STEPS, { description: '上厕所排泄大小便，并清洁身体', note: '评估中强调排泄前解开裤子、完成排泄后清洁身体、穿上裤子' }),
      ],
    },
    basicMobility: {
      zh: '基础运动能力',
      en: 'basic mobility',
      items: [
        item('bedPositioning', 'B.2.1', '床上体位转移', 4, HELP_STEPS, { description: '卧床翻身及坐起躺下' }),
        item('bedChairTransfer', 'B.2.2', '床椅转移', 4, HELP_STEPS, { description: '从坐位到站位，再从站位到坐位的转换过程' }),
        item(
          'walkingFlat',
          'B.2.3',
          '平地行走',
          4,
          scored(
            '独立平地行走50m左右，不需要协助，无摔倒风险',
            '能平地行走50m左右，存在跌倒风险，需要他人监护或指导，或使用拐杖、助行器等辅助工具',
            '在步行时需要他人少量扶持协助',
            '在步行时需要他人大量扶持协助',
            '完全不能步行',
          ),
          { description: '双脚交互的方式在地面行动，总是一只脚在前', note: '包括他人辅助和使用辅具的步行' },
        ),
        item(
          'stairs',
          'B.2.4',
          '上下楼梯',
          3,
          scored(
            '可独立上下楼梯（连续上下10个~15个台阶），不需要协助',
            '在他人指导或提示下完成',
            '需要他人协助，但以自身完成为主',
            '主要依靠他人协助，自身能给予配合；或者完全依赖他人协助，且不能给予配合',
          ),
          { description: '双脚交替完成楼梯台阶连续的上下移动' },
        ),
      ],
    },
    mentalState: {
      zh: '精神状态',
      en: 'mental state',
      items: [
        item(
          'orientationTime',
          'B.3.1',
          '时间定向',
          4,
          scored(
            '时间观念（年、月）清楚，日期（或星期几）可相差一天',
            '时间观念有些下降，年、月、日（或星期几）不能全部分清（相差两天或以上）',
            '时间观念较差，年、月、日不清楚，可知上半年或下半年或季节',
            '时间观念很差，年、月、日不清楚，可知上午、下午或白天、夜间',
            '无时间观念',
          ),
          { description: '知道并确认时间的能力' },
        ),
        item(
          'orientationPlace',
          'B.3.2',
          '空间定向',
          4,
          scored(
            '能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等',
            '不能单独外出，但能准确知道自己日常生活所在地的地址信息',
            '不能单独外出，但知道较多有关自己日常生活的地址信息',
            '不能单独外出，但知道较少自己居住或生活所在地的地址信息',
            '不能单独外出，无空间观念',
          ),
          { description: '知道并确认空间的能力' },
        ),
        item(
          'orientationPerson',
          'B.3.3',
          '人物定向',
          4,
          scored(
            '认识长期共同一起生活的人，能称呼并知道关系',
            '能认识大部分共同生活居住的人，能称呼或知道关系',
            '能认识部分日常同住的亲人或照护者等，能称呼或知道关系等',
            '只认识自己或极少数日常同住的亲人或照护者等',
            '不认识任何人（包括自己）',
          ),
          { description: '知道并确认人物的能力' },
        ),
        item(
          'memory',
          'B.3.4',
          '记忆',
          4,
          scored(
            '总能保持与社会、年龄所适应的记忆能力，能完整的回忆',
            '出现轻度的记忆紊乱或回忆不能（不能回忆即时信息3个词语经过5分钟后仅能回忆0~1个）',
            '出现中度的记忆紊乱或回忆不能（不能回忆近期记忆，不记得上一顿饭吃了什么）',
            '出现重度记忆紊乱或回忆不能（不能回忆远期记忆，不记得自己老朋友）',
            '记忆完全紊乱或者完全不能对既往事物进行正确的回忆',
          ),
          { description: '短期近期和远期记忆能力' },
        ),
        item(
          'understanding',
          'B.3.5',
          '理解能力',
          4,
          scored('能正常理解他人的话', '能理解他人的话，但需要增加时间', '理解有困难，需要频繁重复或简化口头表达', '理解有严重困难，需要大量他人帮助', '完全不能理解他人的话'),
          { description: '理解语言信息和非语言信息的能力（可借助平时使用的助听设备等），即理解别人的话' },
        ),
        item(
          'expression',
          'B.3.6',
          '表达能力',
          4,
          scored('能正常表达自己的想法', '能表达自己的需要，但需要增加时间', '表达需要有困难，需频繁重复或简化口头表达', '表达有严重困难，需要大量他人帮助', '完全不能表达需要'),
          { description: '表达信息能力，包括口头的和非口头的，即表达自己的想法' },
        ),
        // Scored in reverse of what a reader may expect: 1 means no aggression.
        item('aggression', 'B.3.7', '攻击行为', 1, scored('未出现', '近一个月内出现过攻击行为'), {
          description: '身体攻击行为（如打/踢/推/咬/抓/摔东西）和语言攻击行为（如骂人、语言威胁、尖叫）',
        }),
        // Likewise: 1 means no depressive symptoms.
        item('depressiveSymptoms', 'B.3.8', '抑郁症状', 1, scored('未出现', '近一个月内出现过负性情绪'), {
          description: '存在情绪低落、兴趣减退、活力减退等症状，甚至出现妄想、幻觉、自杀念头或自杀行为',
          note: '长期的负性情绪',
        }),
        item(
          'consciousness',
          'B.3.9',
          '意识水平',
          2,
          scored(
            '神志清醒，对周围环境能做出正确反应',
            '嗜睡，表现为睡眠状态过度延长。当呼唤或推动老年人的肢体时可唤醒，并能进行正确的交谈或执行指令，停止刺激后又继续入睡；意识模糊，注意力涣散，对外界刺激不能清晰的认识，空间和时间定向力障碍，理解力迟钝，记忆力模糊和不连贯',
            '昏睡，一般的外界刺激不能使其觉醒，给予较强烈的刺激时可有短时的意识清醒，醒后可简短回答提问，当刺激减弱后又很快进入睡眠状态；或者昏迷；意识丧失，随意运动丧失，对一般刺激全无反应',
          ),
          { description: '机体对自身和周围环境的刺激做出应答反应的能力程度，包括清醒和持续的觉醒状态', note: '处于昏迷状态者，直接评定为重度失能' },
        ),
      ],
    },
    perceptionSocial: {
      zh: '感知觉与社会参与',
      en: 'perception and social participation',
      items: [
        item(
          'vision',
          'B.4.1',
          '视力',
          2,
          scored('视力正常', '能看清楚大字体，但看不清书报上的标准字体；视力有限，看不清楚报纸大标题，但能辨认物体', '只能看到光、颜色和形状；完全失明'),
          { description: '感受存在的光线并感受物体的大小，形状的能力。在个体的最好矫正视力下进行评估' },
        ),
        item(
          'hearing',
          'B.4.2',
          '听力',
          2,
          scored('听力正常', '在轻声说话或说话距离超过两米时听不清；正常交流有些困难，需要在安静的环境或大声说话才能听到', '讲话者大声说话或说话很慢，才能部分听见；完全失聪'),
          { description: '能辨别声音的方位、音调、音量和音质的有关能力（可借助平时使用助听设备等）' },
        ),
        item(
          'dailyAffairs',
          'B.4.3',
          '执行日常事务',
          4,
          scored(
            '能完全独立计划、安排和完成日常事务，无需协助',
            '在计划、安排和完成日常事务时需要他人监护或指导',
            '在计划、安排和完成日常事务时需要少量协助',
            '在计划、安排和完成日常事务时需要大量协助',
            '完全依赖他人进行日常事务',
          ),
          { description: '计划、安排并完成日常事务，包括但不限于洗衣服、小金额购物、服药管理' },
        ),
        item(
          'goingOut',
          'B.4.4',
          '使用交通工具外出',
          3,
          scored(
            '能自己骑车或搭乘公共交通工具外出',
            '能自己搭乘出租车，但不会搭乘其他交通工具外出',
            '当有人协助或陪伴，可搭乘公共交通工具外出',
            '只能在他人协助下搭乘出租车或私家车外出；完全不能出门，或者外出完全需要协助',
          ),
        ),
        item(
          'socialInteraction',
          'B.4.5',
          '社会交往能力',
          4,
          scored(
            '参与社会，在社会环境有一定的适应能力，待人接物恰当',
            '能适应单纯环境，主动接触他人，初次见面时难让人发现智力问题，不能理解隐喻语',
            '脱离社会，可被动接触，不会主动待人，谈话中很多不适词句，容易上当受骗',
            '勉强可与他人接触，谈吐内容不清楚，表情不恰当',
            '不能与人交往',
          ),
        ),
      ],
    },
  },
  levels: [
    { value: 0, min: 90, max: 90, zh: '能力完好', en: 'intact' },
    { value: 1, min: 66, max: 89, zh: '轻度受损', en: 'mild impairment' },
    { value: 2, min: 46, max: 65, zh: '中度受损', en: 'moderate impairment' },
    { value: 3, min: 30, max: 45, zh: '重度受损', en: 'severe impairment' },
    { value: 4, min: 0, max: 29, zh: '完全丧失', en: 'complete loss' },
  ],
  adjustments: {
    // The grading's special cases (等级变更) read "处于昏迷状态者，直接评定为能力完全丧失（完全失能）":
    // level 4. Table B.3.9's note still says "直接评定为重度失能", the words of MZ/T 039-2013, whose
    // four levels ended at 重度失能; in the 2022 standard that is level 3, and the grading clause
    // decides. Two public renderings of the 2022 grading clauses agree on these words.
    comaLevel: 4,
    careRiskEventsThreshold: 2,
    levelsPerCondition: 1,
    // DOMAIN §2 lists the three conditions in one sentence with "or": one raise when any applies.
    maxRaise: 1,
    wording: {
      coma: '处于昏迷状态者，直接评定为能力完全丧失（完全失能）',
      diagnoses: '确诊为痴呆（F00～F03）、精神科专科医生诊断的其他精神和行为障碍疾病（F04～F99），在原有能力级别上提高一个等级',
      careRiskEvents: '近30天内发生过2次及以上照护风险事件（如跌倒、噎食、自杀、自伤、走失等），在原有能力级别上提高一个等级',
    },
  },
});
