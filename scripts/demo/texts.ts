import type { RegionNode } from '../../src/modules/regions/regions.schema';
import { chance, pick, type Rand } from './plan';

/**
 * What demo residents write when they report a problem: a place in their community (a road of the
 * demo city, a landmark), a time and a detail, composed from templates per category, so descriptions
 * read like real 随手拍 and do not repeat word for word. The places are made up for the fictional
 * 明州市 of content/regions.yaml.
 */
const ROADS: Record<string, string[]> = {
  柳岸社区: ['柳岸路', '湖滨路', '柳汀街'],
  望湖社区: ['望湖路', '湖滨路', '月湖西路'],
  荷花池社区: ['荷花池路', '莲桥街', '湖滨路'],
  新河社区: ['新河路', '河清北路', '新河西街'],
  丰乐社区: ['丰乐路', '丰乐桥东街', '河清北路'],
  青山社区: ['青山路', '翠柏路', '山前街'],
  松涛社区: ['松涛路', '翠柏路', '林荫巷'],
  文昌社区: ['文昌路', '学府路', '文昌街'],
  书院社区: ['书院路', '学府路', '鼓楼前街'],
  梧桐社区: ['梧桐路', '桐荫巷', '学府路'],
  海晏社区: ['海晏路', '港城大道', '观潮街'],
  渔港社区: ['渔港路', '港城大道', '渔市街'],
  建设社区: ['建设路', '人民南路', '工农街'],
  幸福里社区: ['幸福路', '人民南路', '安居巷'],
  工人新村社区: ['工人路', '新村街', '建设路'],
};
const GENERIC_ROADS = ['中山路', '解放路', '人民路', '和平街'];
const LANDMARKS = [
  '农贸市场门口',
  '公交站台旁',
  '小学门口',
  '幼儿园对面',
  '社区卫生服务站边上',
  '菜场东侧',
  '地铁站出口',
  '小区南门',
  '小区北门',
  '超市门口',
  '文化广场',
  '街心公园',
  '老年活动中心门口',
  '快递驿站旁',
  '十字路口',
];
const TIMES = [
  '今天早上七点多',
  '今早上班路上',
  '中午十二点左右',
  '下午三点多',
  '傍晚六点左右',
  '昨晚九点多',
  '昨天晚上',
  '这两天',
  '最近一周',
  '周末',
  '连续三天',
  '每天早高峰',
];
const CLOSERS = [
  '',
  '',
  '希望尽快处理。',
  '请相关部门管一管。',
  '已拍照，麻烦核实。',
  '影响市容，希望整改。',
  '多次看到了，希望彻底解决。',
  '老人孩子经过很不安全。',
];

/** Per category: details a resident might add; `{n}` becomes a small count. */
const DETAILS: Record<string, string[]> = {
  littering: [
    '绿化带里有大量塑料袋和饮料瓶',
    '路边有人随手丢弃烟头和纸巾',
    '台阶上堆着外卖盒没人收',
    '有人从车窗往外扔垃圾',
    '河边步道上散落着{n}个塑料袋',
  ],
  'illegal-parking': [
    '{n}辆电动车停满人行道，行人只能走机动车道',
    '消防通道被私家车占用',
    '共享单车横七竖八堆在盲道上',
    '一辆白色轿车停在人行道上好几天了',
    '货车卸货占了半条人行道',
  ],
  'street-vending': [
    '摊贩占用人行道卖水果',
    '夜宵摊占道经营，油烟和垃圾很多',
    '流动摊贩堵住盲道',
    '{n}个早点摊把人行道占满了',
    '卖菜的三轮车直接停在路口',
  ],
  graffiti: [
    '墙上贴满开锁、通下水道的小广告',
    '电线杆上的牛皮癣一直没人清理',
    '新刷的围墙被人喷了涂鸦',
    '楼道里贴了{n}张疏通管道的小广告',
    '配电箱上贴满了小广告',
  ],
  spitting: ['有人随地吐痰，地上很脏', '等车的人随地吐痰，被劝还不听', '台阶上都是痰迹和口香糖'],
  'dog-walking': ['遛狗不牵绳，小孩被吓哭了', '草坪上狗粪无人清理', '大型犬没戴嘴套在人群里乱跑', '晚上有人遛狗不拴绳，狗追着电动车跑'],
  'red-light': ['行人和电动车经常闯红灯', '外卖电动车逆行还闯红灯', '{n}个人结伴闯红灯，很危险', '红灯亮了还有人翻越护栏过马路'],
  'illegal-building': ['一楼住户私自搭建阳光房', '楼顶有人加盖彩钢棚', '有人在公共绿地上围了院子', '底商往外扩建了一截雨棚'],
  noise: ['夜间施工噪音太大，十一点还在打桩', '广场舞音响声音过大影响休息', '店门口大喇叭循环播放促销广告', 'KTV半夜还很吵'],
  'damaged-facility': [
    '人行道地砖松动，下雨一踩就溅水',
    '路灯坏了好几天，晚上一片漆黑',
    '健身器材损坏有安全隐患',
    '交通指示牌被撞歪了',
    '窨井盖缺了一角',
    '公交站的座椅断了',
  ],
  'overflowing-bins': ['垃圾桶满溢，臭味很大', '分类垃圾桶长时间没人清运', '垃圾桶旁边堆了{n}袋垃圾', '厨余垃圾桶盖子坏了，苍蝇很多'],
  'shop-front': [
    '商铺门前乱堆杂物，门前三包没落实',
    '店门口占道摆放货架',
    '饭店把桌椅摆到人行道上',
    '五金店的货物堆满门口台阶',
    '{n}家店门口都摆着纸箱',
  ],
  'greenery-damage': ['有人毁绿种菜', '绿化带被踩出一条小路', '有人在树上拉绳晾被子', '草坪被挖开种了葱和青菜'],
};

/** A description of a problem of `categoryCode` in `community` (templates fill in place, time, detail). */
export function tipoffDescription(rand: Rand, categoryCode: string, community: RegionNode): string {
  const road = pick(rand, ROADS[community.name] ?? GENERIC_ROADS);
  const place = chance(rand, 0.5)
    ? `${road}${pick(rand, ['', '与' + pick(rand, GENERIC_ROADS) + '交叉口', `${10 + Math.floor(rand() * 190)}号`])}${pick(rand, ['', '附近', '门口'])}`
    : `${community.name}${pick(rand, LANDMARKS)}`;
  const detail = pick(rand, DETAILS[categoryCode] ?? ['发现不文明现象']).replace('{n}', String(2 + Math.floor(rand() * 8)));
  const when = pick(rand, TIMES);
  const text = chance(rand, 0.5) ? `${when}在${place}，${detail}。` : `${place}${detail}，${when}都是这样。`;
  return text + pick(rand, CLOSERS);
}

/** What a unit writes when it has rectified one. */
export function rectifyNote(rand: Rand): string {
  return pick(rand, [
    '已现场整改完毕',
    '已清理完毕，并安排专人每日巡查',
    '已责令当事人整改，现场已恢复',
    '已联系物业共同处理，现已整改到位',
    '已劝导并清理，纳入网格日常巡查',
  ]);
}

/** Where an activity meets: a landmark of the community or a road in it. */
export function activityAddress(rand: Rand, community: RegionNode): string {
  return chance(rand, 0.5)
    ? `${community.name}${pick(rand, ['文化广场', '党群服务中心', '新时代文明实践站', '小区南门', '街心公园', '农贸市场门口'])}`
    : `${pick(rand, ROADS[community.name] ?? GENERIC_ROADS)}${pick(rand, ['与' + pick(rand, GENERIC_ROADS) + '交叉口', '公交站', '沿线'])}`;
}
