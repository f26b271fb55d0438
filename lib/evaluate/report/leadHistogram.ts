/** Lead-time histogram (days from first alarm to failure) as inline SVG, one bar per day. */
import { esc } from './html.js';

const W = 640;
const H = 260;
const M = { left: 48, right: 16, top: 16, bottom: 44 };

export function leadHistogram(leadTimes: readonly number[], windowDays: number, color: string): string {
  const counts = new Array<number>(windowDays + 1).fill(0);
  for (const lead of leadTimes) if (lead >= 1 && lead <= windowDays) counts[lead]!++;
  // Whole-drive ticks: a step of at least 1, the top of the axis on a tick.
  const step = Math.max(1, Math.ceil(Math.max(...counts) / 4));
  const max = step * Math.max(1, Math.ceil(Math.max(...counts) / step));
  const barW = (W - M.left - M.right) / windowDays;
  const plotH = H - M.top - M.bottom;
  const parts: string[] = [];
  for (let v = 0; v <= max; v += step) {
    const gy = H - M.bottom - (v / max) * plotH;
    parts.push(`<line class="grid" x1="${M.left}" y1="${gy}" x2="${W - M.right}" y2="${gy}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${gy + 4}" text-anchor="end">${v}</text>`);
  }
  for (let day = 1; day <= windowDays; day++) {
    const h = (counts[day]! / max) * plotH;
    const bx = M.left + (day - 1) * barW;
    parts.push(
      `<rect class="bar" x="${(bx + 1).toFixed(1)}" y="${(H - M.bottom - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${day} days: ${counts[day]} drives</title></rect>`,
    );
    if (day === 1 || day % 5 === 0) parts.push(`<text class="tick" x="${(bx + barW / 2).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${day}</text>`);
  }
  parts.push(`<text class="axis-label" x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">lead time: days between the first alarm and the failure</text>`);
  parts.push(`<text class="axis-label" transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">failed drives</text>`);
  return `<svg id="lead-time-histogram" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`lead-time histogram of ${leadTimes.length} detected drives`)}">${parts.join('')}</svg>`;
}
