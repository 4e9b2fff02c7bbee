import { pickFrom } from '../../bots/pick';

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
    expect(byName('垃圾')).toEqual({ several: [{ number: 1, item: '乱扔垃圾' }, { number: 3, item: '垃圾桶满溢' }] });
  });

  it('does not guess from a single letter or words no label has', () => {
    expect(byName('a')).toEqual({ none: true });
    expect(byName('火星')).toEqual({ none: true });
    expect(pickFrom('不是', ['是', '否'], (s) => s)).toEqual({ none: true });
  });
});
