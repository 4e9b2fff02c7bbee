import { pickFrom } from '../../bots/pick';
import { askAgain } from '../../bots/texts';

const categories = ['乱扔垃圾', '乱停乱放', '垃圾桶满溢', '噪音扰民'];
const byName = (text: string) => pickFrom(text, categories, (c) => c);

describe('reading a numbered choice the way people answer', () => {
  it('takes a list number or the exact label', () => {
    expect(byName('2')).toEqual({ item: '乱停乱放' });
    expect(byName('噪音扰民')).toEqual({ item: '噪音扰民' });
    expect(byName('9')).toEqual({ none: true });
  });

  it('takes a part of a name only one label has', () => {
    expect(byName('噪音')).toEqual({ item: '噪音扰民' });
    expect(byName('满溢')).toEqual({ item: '垃圾桶满溢' });
  });

  it('gives the candidates, with their list numbers, when a part fits several', () => {
    expect(byName('垃圾')).toEqual({
      several: [
        { number: 1, item: '乱扔垃圾' },
        { number: 3, item: '垃圾桶满溢' },
      ],
    });
  });

  it('does not guess from a single letter or words no label has', () => {
    expect(byName('a')).toEqual({ none: true });
    expect(byName('火星')).toEqual({ none: true });
    expect(pickFrom('不是', ['是', '否'], (s) => s)).toEqual({ none: true });
  });
});

describe('a problem and what to do next, said once', () => {
  it('does not add "please re-enter" after a problem that already says it', () => {
    expect(askAgain('身份证号码校验位不正确，请核对后重新输入', '请重新输入身份证号码。')).toBe(
      '身份证号码校验位不正确，请核对后重新输入。',
    );
    expect(askAgain('请选择 1–5 之间的整数', '请重新回复。')).toBe('请选择 1–5 之间的整数。');
  });

  it('adds what to do after a bare problem', () => {
    expect(askAgain('身份证号码中的出生日期无效', '请重新输入身份证号码。')).toBe('身份证号码中的出生日期无效，请重新输入身份证号码。');
  });
});
