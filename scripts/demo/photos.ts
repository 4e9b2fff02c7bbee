import sharp from 'sharp';
import { between, chance, pick, rng, type Rand } from './plan';

/**
 * Demo tip-off photos, drawn locally: an SVG street scene per category (the problem in the
 * foreground: cars on the pavement, rubbish beside bins, goods outside a shop, a bent road sign,
 * small ads on a wall…) with colours, sizes and positions from a seeded RNG, a grain of sensor noise
 * so it compresses like a phone photo, then JPEG through sharp. The same seed gives the same photo;
 * no two seeds give the same one. `after` draws the same street tidied up (the unit's rectify photo).
 */
export async function demoPhoto(categoryCode: string, seed: number, after = false): Promise<Buffer> {
  const rand = rng(seed * 7919 + 17);
  const width = pick(rand, [640, 720, 800, 880]);
  const height = Math.round(width * pick(rand, [0.75, 0.75, 0.5625, 1.25]));
  const scene = new Scene(rand, width, height);
  scene.street();
  if (!after) (DRAW[categoryCode] ?? DRAW['littering']!)(scene);
  else (TIDY[categoryCode] ?? ((s: Scene) => s.tidy()))(scene);
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${scene.parts.join('')}</svg>`);
  return sharp(svg)
    .composite([{ ...(await grain(width, height, rand)), blend: 'overlay' }])
    .jpeg({ quality: between(rand, 72, 88) })
    .toBuffer();
}

/**
 * Sensor noise: flat SVG shapes alone compress to a few KB, which no phone camera produces. Drawing
 * noise costs more than the scene, so one large field is made once and each photo takes a window of it.
 */
const FIELD = { width: 1200, height: 1400, channels: 3 } as const;
let field: Promise<Buffer> | undefined;
async function grain(
  width: number,
  height: number,
  rand: Rand,
): Promise<{ input: Buffer; raw: { width: number; height: number; channels: 3 } }> {
  field ??= sharp({ create: { ...FIELD, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 8 } } })
    .raw()
    .toBuffer();
  const window = { left: between(rand, 0, FIELD.width - width), top: between(rand, 0, FIELD.height - height), width, height };
  const input = await sharp(await field, { raw: FIELD })
    .extract(window)
    .raw()
    .toBuffer();
  return { input, raw: { width, height, channels: 3 } };
}

const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h)},${Math.round(s)}%,${Math.round(l)}%)`;

class Scene {
  readonly parts: string[] = [];
  /** where the pavement (foreground) starts and the road begins */
  readonly kerb: number;
  readonly horizon: number;
  constructor(
    readonly rand: Rand,
    readonly w: number,
    readonly h: number,
  ) {
    this.horizon = h * (0.38 + rand() * 0.12);
    this.kerb = this.horizon + (h - this.horizon) * (0.3 + rand() * 0.15);
  }

  add(svg: string): void {
    this.parts.push(svg);
  }
  r(lo: number, hi: number): number {
    return lo + this.rand() * (hi - lo);
  }
  /** a point on the pavement, in the foreground band */
  spot(): { x: number; y: number } {
    return { x: this.r(0.05, 0.9) * this.w, y: this.r(this.kerb + 10, this.h - 20) };
  }

  /** Sky, a row of buildings with windows, the road with its markings, the paved footway. */
  street(): void {
    const { w, h, horizon, kerb } = this;
    const skyHue = this.r(190, 225);
    this.add(
      `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(skyHue, this.r(30, 70), this.r(55, 75))}"/><stop offset="1" stop-color="${hsl(skyHue, 30, this.r(80, 92))}"/></linearGradient></defs>`,
    );
    this.add(`<rect width="${w}" height="${horizon}" fill="url(#sky)"/>`);
    for (let x = -this.r(0, 60); x < w;) {
      const bw = this.r(120, 260);
      const bh = this.r(horizon * 0.45, horizon * 0.95);
      const top = horizon - bh;
      const wall = hsl(this.r(20, 60), this.r(5, 35), this.r(55, 85));
      this.add(`<rect x="${x}" y="${top}" width="${bw}" height="${bh}" fill="${wall}"/>`);
      const cols = Math.max(2, Math.floor(bw / 40));
      for (let row = top + 16; row < horizon - 50; row += 36) {
        for (let c = 0; c < cols; c++) {
          const lit = chance(this.rand, 0.2) ? hsl(50, 60, 75) : hsl(205, 25, this.r(30, 50));
          this.add(`<rect x="${x + 10 + c * ((bw - 20) / cols)}" y="${row}" width="${(bw - 20) / cols - 10}" height="20" fill="${lit}"/>`);
        }
      }
      // ground floor: shop fronts with a coloured sign band
      this.add(`<rect x="${x + 4}" y="${horizon - 44}" width="${bw - 8}" height="12" fill="${hsl(this.r(0, 360), 60, 45)}"/>`);
      this.add(`<rect x="${x + 12}" y="${horizon - 30}" width="${bw - 24}" height="30" fill="${hsl(200, 15, this.r(25, 40))}"/>`);
      x += bw + this.r(4, 30);
    }
    this.add(`<rect y="${horizon}" width="${w}" height="${kerb - horizon}" fill="${hsl(0, 0, this.r(28, 40))}"/>`);
    for (let x = this.r(0, 80); x < w; x += 140)
      this.add(`<rect x="${x}" y="${(horizon + kerb) / 2 - 3}" width="70" height="6" fill="#e8e8e0"/>`);
    const paving = hsl(this.r(15, 40), this.r(5, 25), this.r(58, 72));
    this.add(`<rect y="${kerb}" width="${w}" height="${h - kerb}" fill="${paving}"/>`);
    this.add(`<rect y="${kerb}" width="${w}" height="8" fill="${hsl(0, 0, 80)}"/>`);
    const tile = this.r(40, 70);
    for (let y = kerb + 8 + tile; y < h; y += tile)
      this.add(`<line x1="0" y1="${y}" x2="${w}" y2="${y}" stroke="rgba(0,0,0,.12)" stroke-width="2"/>`);
    for (let x = this.r(0, tile); x < w; x += tile)
      this.add(`<line x1="${x}" y1="${kerb + 8}" x2="${x + (x - w / 2) * 0.15}" y2="${h}" stroke="rgba(0,0,0,.1)" stroke-width="2"/>`);
    if (chance(this.rand, 0.6)) this.tree(this.r(0.05, 0.95) * w);
  }

  tree(x: number): void {
    const y = this.kerb + 4;
    this.add(`<rect x="${x - 7}" y="${y - 110}" width="14" height="110" fill="${hsl(25, 40, 28)}"/>`);
    this.add(`<circle cx="${x}" cy="${y - 140}" r="${this.r(45, 70)}" fill="${hsl(this.r(90, 130), 45, this.r(25, 40))}"/>`);
  }

  /** The rectify photo: the same kind of street, swept, with a bin in its place and a planter. */
  tidy(): void {
    this.bin(this.spot().x, this.kerb + 60, hsl(140, 50, 35));
    const p = this.spot();
    this.add(
      `<rect x="${p.x}" y="${p.y - 40}" width="120" height="40" fill="${hsl(20, 10, 55)}"/><rect x="${p.x + 5}" y="${p.y - 70}" width="110" height="32" rx="16" fill="${hsl(110, 50, 35)}"/>`,
    );
  }

  car(x: number, y: number): void {
    const body = pick(this.rand, [hsl(0, 0, 95), hsl(0, 0, 15), hsl(0, 0, 70), hsl(this.r(0, 360), 60, 40)]);
    const len = this.r(200, 280);
    this.add(`<rect x="${x}" y="${y - 70}" width="${len}" height="50" rx="14" fill="${body}"/>`);
    this.add(
      `<path d="M${x + len * 0.2} ${y - 70} L${x + len * 0.32} ${y - 112} L${x + len * 0.7} ${y - 112} L${x + len * 0.82} ${y - 70} Z" fill="${body}"/>`,
    );
    this.add(
      `<path d="M${x + len * 0.26} ${y - 72} L${x + len * 0.35} ${y - 104} L${x + len * 0.67} ${y - 104} L${x + len * 0.76} ${y - 72} Z" fill="${hsl(205, 30, 30)}"/>`,
    );
    for (const wx of [x + len * 0.2, x + len * 0.78])
      this.add(`<circle cx="${wx}" cy="${y - 20}" r="22" fill="#1b1b1b"/><circle cx="${wx}" cy="${y - 20}" r="9" fill="#999"/>`);
  }

  bike(x: number, y: number): void {
    const frame = pick(this.rand, [hsl(45, 90, 50), hsl(200, 80, 45), hsl(140, 60, 40), hsl(0, 70, 50)]);
    const r = this.r(20, 28);
    this.add(
      `<circle cx="${x}" cy="${y - r}" r="${r}" fill="none" stroke="#222" stroke-width="5"/><circle cx="${x + r * 2.8}" cy="${y - r}" r="${r}" fill="none" stroke="#222" stroke-width="5"/>`,
    );
    this.add(
      `<path d="M${x} ${y - r} L${x + r * 1.2} ${y - r * 2.4} L${x + r * 2.8} ${y - r} M${x + r * 1.2} ${y - r * 2.4} L${x + r * 2.4} ${y - r * 2.5}" stroke="${frame}" stroke-width="7" fill="none"/>`,
    );
    if (chance(this.rand, 0.5))
      this.add(`<rect x="${x + r * 0.9}" y="${y - r * 2.2}" width="${r * 1.4}" height="${r * 0.9}" rx="5" fill="${frame}"/>`); // an e-bike's battery box
  }

  bin(x: number, y: number, colour: string): void {
    this.add(
      `<rect x="${x}" y="${y - 90}" width="60" height="90" rx="4" fill="${colour}"/><rect x="${x - 4}" y="${y - 98}" width="68" height="12" rx="3" fill="${colour}" stroke="rgba(0,0,0,.3)"/>`,
    );
  }

  bag(x: number, y: number): void {
    const s = this.r(18, 40);
    const c = pick(this.rand, [hsl(0, 0, 10), hsl(0, 0, 92), hsl(210, 60, 50), hsl(0, 60, 45), hsl(50, 70, 55)]);
    this.add(
      `<ellipse cx="${x}" cy="${y - s * 0.6}" rx="${s}" ry="${s * 0.7}" fill="${c}" transform="rotate(${this.r(-30, 30)} ${x} ${y})"/>`,
    );
  }

  litter(n: number): void {
    for (let i = 0; i < n; i++) {
      const p = this.spot();
      if (chance(this.rand, 0.5)) this.bag(p.x, p.y);
      else
        this.add(
          `<rect x="${p.x}" y="${p.y}" width="${this.r(8, 14)}" height="${this.r(24, 36)}" rx="3" fill="${pick(this.rand, ['#3a9', '#9cd', '#d44', '#eee'])}" transform="rotate(${this.r(0, 180)} ${p.x} ${p.y})"/>`,
        );
    }
  }

  person(x: number, y: number): void {
    const coat = hsl(this.r(0, 360), 45, this.r(30, 55));
    this.add(
      `<circle cx="${x}" cy="${y - 150}" r="14" fill="${hsl(30, 40, 70)}"/><rect x="${x - 16}" y="${y - 134}" width="32" height="70" rx="8" fill="${coat}"/><rect x="${x - 14}" y="${y - 66}" width="11" height="66" fill="#333"/><rect x="${x + 3}" y="${y - 66}" width="11" height="66" fill="#333"/>`,
    );
  }

  sign(x: number, y: number, bent: number): void {
    this.add(
      `<g transform="rotate(${bent} ${x} ${y})"><rect x="${x - 5}" y="${y - 220}" width="10" height="220" fill="#888"/><circle cx="${x}" cy="${y - 235}" r="34" fill="${pick(this.rand, ['#1e5fb4', '#c8161d'])}" stroke="#fff" stroke-width="5"/></g>`,
    );
  }
}

/** The rectify photos of the categories whose fix shows: bikes in a marked bay, a clean wall, a sign upright. */
const TIDY: Record<string, (s: Scene) => void> = {
  'illegal-parking': (s) => {
    const x0 = s.r(20, s.w * 0.4);
    const y = s.kerb + s.r(110, 150);
    s.add(
      `<rect x="${x0 - 10}" y="${y - 70}" width="${s.w * 0.5}" height="80" fill="none" stroke="#fff" stroke-width="4" stroke-dasharray="18 10"/>`,
    );
    for (let x = x0 + 20; x < x0 + s.w * 0.5 - 110; x += s.r(100, 115)) s.bike(x, y);
  },
  graffiti: (s) => {
    const top = s.horizon - s.r(200, 260);
    s.add(`<rect x="0" y="${top}" width="${s.w}" height="${s.kerb - top}" fill="${hsl(s.r(20, 50), 8, s.r(82, 90))}"/>`);
    s.add(
      `<rect x="${s.r(40, s.w - 300)}" y="${top + 30}" width="240" height="120" fill="#f6f1e0" stroke="${hsl(0, 60, 40)}" stroke-width="6"/>`,
    ); // the 公益广告 board put up instead
    s.tidy();
  },
  'damaged-facility': (s) => {
    s.sign(s.r(80, s.w - 80), s.kerb + s.r(60, 120), 0);
    s.tidy();
  },
  'shop-front': (s) => {
    const x = s.r(0, s.w * 0.4);
    s.add(
      `<rect x="${x}" y="${s.horizon - 170}" width="${s.w * 0.55}" height="170" fill="${hsl(s.r(0, 360), 20, 85)}"/><rect x="${x}" y="${s.horizon - 170}" width="${s.w * 0.55}" height="40" fill="${hsl(s.r(0, 360), 70, 42)}"/>`,
    );
    s.add(`<rect x="${x + 20}" y="${s.kerb + 12}" width="${s.w * 0.5}" height="6" fill="#c8161d"/>`); // the 门前三包 line
  },
  'greenery-damage': (s) => {
    s.add(`<rect y="${s.kerb + 20}" width="${s.w}" height="${s.h - s.kerb - 20}" fill="${hsl(s.r(95, 120), 45, s.r(32, 42))}"/>`);
    for (let i = between(s.rand, 6, 14); i > 0; i--) {
      const p = s.spot();
      s.add(`<circle cx="${p.x}" cy="${p.y}" r="${s.r(14, 30)}" fill="${hsl(s.r(90, 130), 50, s.r(25, 38))}"/>`);
    }
  },
};

const DRAW: Record<string, (s: Scene) => void> = {
  'illegal-parking': (s) => {
    for (let i = between(s.rand, 1, 2); i > 0; i--) s.car(s.r(-40, s.w - 240), s.r(s.kerb + 130, s.h - 10));
    for (let i = between(s.rand, 2, 6); i > 0; i--) s.bike(s.r(0, s.w - 80), s.r(s.kerb + 60, s.h - 10));
  },
  littering: (s) => s.litter(between(s.rand, 14, 30)),
  'overflowing-bins': (s) => {
    const x0 = s.r(40, s.w - 320);
    const colours = ['#1e6f3a', '#555', '#1e5fb4', '#b22'];
    for (let i = 0; i < between(s.rand, 2, 4); i++) s.bin(x0 + i * 72, s.kerb + s.r(80, 120), colours[i]!);
    for (let i = between(s.rand, 8, 18); i > 0; i--) s.bag(x0 + s.r(-60, 340), s.kerb + s.r(90, 170));
  },
  'street-vending': (s) => {
    for (let i = between(s.rand, 1, 3); i > 0; i--) {
      const x = s.r(20, s.w - 220);
      const y = s.r(s.kerb + 90, s.h - 20);
      s.add(
        `<path d="M${x - 20} ${y - 150} Q${x + 90} ${y - 220} ${x + 200} ${y - 150} Z" fill="${hsl(s.r(0, 360), 70, 50)}"/><rect x="${x + 88}" y="${y - 150}" width="6" height="150" fill="#666"/>`,
      );
      s.add(
        `<rect x="${x}" y="${y - 70}" width="180" height="14" fill="${hsl(30, 30, 40)}"/><rect x="${x + 10}" y="${y - 56}" width="8" height="56" fill="#555"/><rect x="${x + 162}" y="${y - 56}" width="8" height="56" fill="#555"/>`,
      );
      for (let k = 0; k < 9; k++)
        s.add(
          `<circle cx="${x + 15 + k * 19}" cy="${y - 80}" r="${s.r(7, 11)}" fill="${hsl(pick(s.rand, [10, 30, 50, 90, 120]), 70, 50)}"/>`,
        );
    }
  },
  'shop-front': (s) => {
    const x = s.r(0, s.w * 0.4);
    s.add(
      `<rect x="${x}" y="${s.horizon - 170}" width="${s.w * 0.55}" height="170" fill="${hsl(s.r(0, 360), 20, 85)}"/><rect x="${x}" y="${s.horizon - 170}" width="${s.w * 0.55}" height="40" fill="${hsl(s.r(0, 360), 70, 42)}"/>`,
    );
    for (let i = between(s.rand, 4, 9); i > 0; i--) {
      const p = s.spot();
      s.add(
        `<rect x="${p.x}" y="${p.y - 50}" width="${s.r(50, 90)}" height="${s.r(35, 60)}" fill="${hsl(s.r(20, 45), 50, s.r(40, 60))}" stroke="rgba(0,0,0,.35)" stroke-width="3"/>`,
      );
    }
    s.litter(between(s.rand, 2, 5));
  },
  graffiti: (s) => {
    const top = s.horizon - s.r(200, 260);
    s.add(`<rect x="0" y="${top}" width="${s.w}" height="${s.kerb - top}" fill="${hsl(s.r(20, 50), 10, s.r(70, 85))}"/>`);
    for (let i = between(s.rand, 25, 60); i > 0; i--) {
      const x = s.r(0, s.w - 40);
      const y = s.r(top + 10, s.kerb - 30);
      s.add(
        `<rect x="${x}" y="${y}" width="${s.r(24, 60)}" height="${s.r(14, 36)}" fill="${pick(s.rand, ['#fff', '#fde', '#ffd', '#dfe', '#f44'])}" transform="rotate(${s.r(-12, 12)} ${x} ${y})"/>`,
      );
    }
    for (let i = between(s.rand, 2, 5); i > 0; i--) {
      const x = s.r(0, s.w - 200);
      const y = s.r(top + 40, s.kerb - 40);
      s.add(
        `<path d="M${x} ${y} c40 -60 80 60 120 0 s60 -40 90 20" stroke="${hsl(s.r(0, 360), 80, 40)}" stroke-width="${s.r(6, 14)}" fill="none"/>`,
      );
    }
  },
  'damaged-facility': (s) => {
    s.sign(s.r(80, s.w - 80), s.kerb + s.r(60, 120), s.r(18, 40) * (chance(s.rand, 0.5) ? 1 : -1));
    for (let i = between(s.rand, 3, 7); i > 0; i--) {
      const p = s.spot();
      s.add(
        `<path d="M${p.x} ${p.y} l${s.r(20, 60)} ${s.r(-20, 20)} l${s.r(10, 40)} ${s.r(10, 40)} l${s.r(20, 50)} ${s.r(-30, 10)}" stroke="#333" stroke-width="3" fill="none"/>`,
      );
    }
    const p = s.spot();
    s.add(`<ellipse cx="${p.x}" cy="${p.y}" rx="${s.r(40, 90)}" ry="${s.r(12, 24)}" fill="rgba(60,70,80,.55)"/>`); // a puddle where tiles are loose
  },
  'illegal-building': (s) => {
    const x = s.r(0, s.w * 0.5);
    const roof = s.horizon - s.r(180, 280);
    s.add(`<rect x="${x}" y="${roof}" width="${s.w * 0.45}" height="${s.horizon - roof}" fill="${hsl(30, 15, 75)}"/>`);
    s.add(
      `<path d="M${x + 10} ${roof} L${x + 40} ${roof - 70} L${x + s.w * 0.4} ${roof - 70} L${x + s.w * 0.44} ${roof} Z" fill="${hsl(210, 70, s.r(40, 55))}"/>`,
    );
    for (let k = x + 20; k < x + s.w * 0.42; k += 16)
      s.add(`<line x1="${k}" y1="${roof - 68}" x2="${k - 10}" y2="${roof}" stroke="rgba(255,255,255,.35)" stroke-width="3"/>`);
  },
  'greenery-damage': (s) => {
    s.add(`<rect y="${s.kerb + 20}" width="${s.w}" height="${s.h - s.kerb - 20}" fill="${hsl(s.r(95, 120), 40, s.r(30, 40))}"/>`);
    const x0 = s.r(0, s.w * 0.4);
    for (let row = 0; row < between(s.rand, 3, 6); row++) {
      const y = s.kerb + 50 + row * 34;
      s.add(`<rect x="${x0}" y="${y}" width="${s.r(200, 420)}" height="22" fill="${hsl(25, 45, 30)}"/>`);
      for (let k = x0 + 10; k < x0 + 200; k += 24)
        s.add(`<circle cx="${k}" cy="${y + 4}" r="${s.r(6, 11)}" fill="${hsl(s.r(80, 110), 60, 45)}"/>`);
    }
  },
  'dog-walking': (s) => {
    s.add(`<rect y="${s.kerb + 30}" width="${s.w}" height="${s.h - s.kerb - 30}" fill="${hsl(s.r(90, 115), 35, s.r(35, 45))}"/>`);
    const p = s.spot();
    const coat = hsl(s.r(20, 40), s.r(20, 60), s.r(25, 70));
    s.add(
      `<ellipse cx="${p.x}" cy="${p.y - 40}" rx="50" ry="22" fill="${coat}"/><circle cx="${p.x + 50}" cy="${p.y - 62}" r="17" fill="${coat}"/><rect x="${p.x - 40}" y="${p.y - 25}" width="9" height="25" fill="${coat}"/><rect x="${p.x + 30}" y="${p.y - 25}" width="9" height="25" fill="${coat}"/>`,
    );
    for (let i = between(s.rand, 2, 5); i > 0; i--) {
      const q = s.spot();
      s.add(`<ellipse cx="${q.x}" cy="${q.y}" rx="9" ry="6" fill="${hsl(25, 50, 22)}"/>`);
    }
  },
  noise: (s) => {
    for (let i = between(s.rand, 5, 12); i > 0; i--) s.person(s.r(20, s.w - 20), s.r(s.kerb + 150, s.h));
    const p = s.spot();
    s.add(
      `<rect x="${p.x}" y="${p.y - 110}" width="70" height="110" rx="6" fill="#222"/><circle cx="${p.x + 35}" cy="${p.y - 70}" r="24" fill="#555"/><circle cx="${p.x + 35}" cy="${p.y - 25}" r="12" fill="#555"/>`,
    );
  },
  'red-light': (s) => {
    for (let x = s.r(0, 40); x < s.w; x += 60)
      s.add(`<rect x="${x}" y="${s.horizon + 6}" width="34" height="${s.kerb - s.horizon - 12}" fill="#eee"/>`);
    const x = s.r(40, s.w - 40);
    s.add(
      `<rect x="${x - 4}" y="${s.horizon - 200}" width="8" height="${s.kerb - s.horizon + 200}" fill="#777"/><rect x="${x - 22}" y="${s.horizon - 260}" width="44" height="110" rx="6" fill="#222"/><circle cx="${x}" cy="${s.horizon - 232}" r="14" fill="#f22"/><circle cx="${x}" cy="${s.horizon - 180}" r="14" fill="#343"/>`,
    );
    for (let i = between(s.rand, 1, 3); i > 0; i--) s.bike(s.r(0, s.w - 100), s.r(s.horizon + 60, s.kerb));
    for (let i = between(s.rand, 1, 3); i > 0; i--) s.person(s.r(0, s.w), s.r(s.horizon + 150, s.kerb + 30));
  },
  spitting: (s) => {
    const x = s.r(20, s.w - 360);
    s.add(
      `<rect x="${x}" y="${s.kerb - 40}" width="340" height="14" fill="${hsl(200, 40, 40)}"/><rect x="${x}" y="${s.kerb - 40}" width="8" height="200" fill="#666"/><rect x="${x + 332}" y="${s.kerb - 40}" width="8" height="200" fill="#666"/><rect x="${x + 40}" y="${s.kerb + 60}" width="260" height="16" fill="${hsl(30, 30, 45)}"/>`,
    );
    for (let i = between(s.rand, 3, 8); i > 0; i--) {
      const p = s.spot();
      s.add(`<ellipse cx="${p.x}" cy="${p.y}" rx="${s.r(6, 12)}" ry="${s.r(3, 6)}" fill="rgba(230,230,210,.8)"/>`);
    }
    s.person(s.r(0, s.w), s.h - s.r(0, 30));
  },
};
