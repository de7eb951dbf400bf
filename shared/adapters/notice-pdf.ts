import type { z } from 'zod';
import type { FamilySearchNotice } from '../contract/people';
import { A4, chineseDocument, MARGIN, MUTED, shanghai } from './report-pdf';

type Notice = z.infer<typeof FamilySearchNotice>;

const SEX_WORDS = { male: '男', female: '女', unknown: '不详' } as const;

/**
 * The family-search notice (寻亲公告) as a printable A4 page in Chinese: the photo (when the notice shows one) beside
 * the fields the national platform shows, the station's contact at the foot. Nothing else of the file is printed.
 */
export async function noticePdf(notice: Notice, photo?: { bytes: Uint8Array; contentType: string }): Promise<Uint8Array> {
  const { doc, w } = await chineseDocument(`${notice.title} ${notice.number}`);
  w.text(notice.title, { size: 22, gap: 8 });
  w.text(`编号 ${notice.number}${notice.publishedAt ? ` · 发布于 ${shanghai(notice.publishedAt)}` : ' · 尚未发布'}`, { size: 10, colour: MUTED, gap: 16 });
  const top = w.y;
  let textX = MARGIN;
  if (photo) {
    const image = photo.contentType === 'image/png' ? await doc.embedPng(photo.bytes) : photo.contentType === 'image/jpeg' ? await doc.embedJpg(photo.bytes) : undefined;
    if (image) {
      const width = 150;
      const height = Math.min(200, (image.height / image.width) * width);
      w.page.drawImage(image, { x: MARGIN, y: top - height, width, height });
      textX = MARGIN + width + 20;
    }
  }
  const rows: [string, string | undefined][] = [
    ['性别', SEX_WORDS[notice.sex]],
    ['年龄', notice.estimatedAge],
    ['体貌特征', notice.features],
    ['衣着', notice.clothing],
    ['口音', notice.dialect],
    ['发现时间', shanghai(notice.foundAt)],
    ['发现地点', notice.foundPlace],
    ['入站时间', notice.takenInAt ? shanghai(notice.takenInAt) : undefined],
  ];
  const wrap = (text: string, perLine: number) => text.match(new RegExp(`.{1,${perLine}}`, 'gu')) ?? [text];
  const perLine = Math.floor((A4.width - MARGIN - textX - 70) / 11);
  for (const [label, value] of rows) {
    if (!value) continue;
    const lines = wrap(value, perLine);
    w.text(label, { x: textX, size: 11, colour: MUTED, gap: -11 });
    lines.forEach((line, i) => w.text(line, { x: textX + 70, size: 11, gap: i === lines.length - 1 ? 10 : 4 }));
  }
  if (notice.minor) w.text('未成年人信息依法保护，仅公布寻亲必需的内容。', { x: textX, size: 9, colour: MUTED });
  w.y = Math.min(w.y, top - 220);
  w.heading('如您认识此人，请与我们联系');
  w.text(notice.station.name, { size: 12 });
  if (notice.station.phone) w.text(`联系电话：${notice.station.phone}`, { size: 12 });
  if (notice.station.address) w.text(`地址：${notice.station.address}`, { size: 12 });
  w.text('有线索者请与本站联系，本站将核实后安排认领。', { size: 9, colour: MUTED });
  return doc.save();
}
