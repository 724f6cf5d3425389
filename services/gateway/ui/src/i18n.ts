/** The interface's words: Chinese by default, English on request; the word lists are in `locales/`. */
import { en } from './locales/en.js';
import { zh } from './locales/zh.js';

export type Lang = 'zh' | 'en';

export type Key = keyof typeof zh;
const dictionaries: Record<Lang, Record<Key, string>> = { zh, en };

/** The word for a key in a language; unknown keys (a new stage) show as they are. */
export function t(lang: Lang, key: string): string {
  return (dictionaries[lang] as Record<string, string>)[key] ?? key;
}

/** The word for a key when the language has one; undefined otherwise (where a missing word should say nothing, or something else). */
export function wordFor(lang: Lang, key: string): string | undefined {
  return (dictionaries[lang] as Record<string, string>)[key];
}

/**
 * A workspace's own words: those the locale files keep under `<page>_<key>`, before the shared
 * words of the same key. Every word of every page lives in the locale files, one per language.
 */
export function pageWords(page: string): (lang: Lang, key: string) => string {
  return (lang, key) => wordFor(lang, `${page}_${key}`) ?? t(lang, key);
}

/** Time left to a deadline, as "3 小时 12 分钟" or overdue. */
export function countdown(lang: Lang, deadline: string, now: number): string {
  const ms = Date.parse(deadline) - now;
  if (ms <= 0) return t(lang, 'overdue');
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return `${t(lang, 'remaining')} ${hours > 0 ? `${hours} ${t(lang, 'hours')} ` : ''}${minutes % 60} ${t(lang, 'minutes')}`;
}

/** The day of an instant as people in China read it (2026年12月6日 / 6 Dec 2026). */
export function chinaDate(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
}

/** An instant as people in China read it, whatever the browser's own zone. */
export function chinaTime(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });
}

/** A text with `{name}` places filled in, e.g. `fill('{from}–{to} 岁', { from: 80, to: 84 })`. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
