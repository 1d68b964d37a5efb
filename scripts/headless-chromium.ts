/**
 * A headless Chromium driven over the DevTools protocol through `--remote-debugging-pipe` (fd 3
 * in, fd 4 out, NUL-separated JSON), so a script can open pages, set localStorage, wait for text
 * and save PNG screenshots with no browser package and no browser download: it runs the system's
 * Chromium (Debian's `/usr/bin/chromium`). For docs/ screenshots only; nothing in the service or
 * its tests uses it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

export interface ChromiumOptions {
  /** @default process.env.CHROMIUM_PATH or /usr/bin/chromium */
  executablePath?: string;
  /** Viewport in CSS pixels. @default 1600 × 1000 */
  width?: number;
  height?: number;
}

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/** One browser with one page (tab). */
export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private sessionId = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly input: Writable,
    output: Readable,
    private readonly profileDir: string,
  ) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    child.once('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`Chromium exited (code ${code})`));
      this.pending.clear();
    });
  }

  /** Starts Chromium and opens a blank page of the given size. */
  static async launch(options: ChromiumOptions = {}): Promise<HeadlessChromium> {
    const executable = options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!fs.existsSync(executable)) throw new Error(`No Chromium at ${executable}: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH`);
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-screenshots-'));
    const width = options.width ?? 1600;
    const height = options.height ?? 1000;
    const args = [
      '--headless',
      '--remote-debugging-pipe',
      `--user-data-dir=${profileDir}`,
      `--window-size=${width},${height}`,
      '--hide-scrollbars',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-dev-shm-usage',
      // Chromium's sandbox refuses to start as root (a container, CI).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      'about:blank',
    ];
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    const browser = new HeadlessChromium(child, child.stdio[3] as Writable, child.stdio[4] as Readable, profileDir);
    const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    browser.sessionId = sessionId;
    await browser.send('Page.enable');
    await browser.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    return browser;
  }

  /** Opens `url` and waits for its load event. */
  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
    await this.waitFor(`the page ${url} to load`, 'document.readyState === "complete"');
  }

  /** Evaluates `expression` in the page; answers its value (JSON-serialisable). */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result?: { value?: T };
      exceptionDetails?: { text?: string };
    };
    if (answer.exceptionDetails) throw new Error(`Page script failed: ${answer.exceptionDetails.text ?? expression}`);
    return answer.result?.value as T;
  }

  /** Waits until `expression` is truthy in the page (polled every 250 ms). */
  async waitFor(what: string, expression: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /**
   * Waits until the page's visible text contains every one of `texts`, its same-origin frames'
   * text included (the Temporal UI renders markdown, such as a workflow's summary, in iframes).
   */
  async waitForText(texts: readonly string[], timeoutMs = 30_000): Promise<void> {
    const pageText = `[document, ...[...document.querySelectorAll('iframe')].map((f) => f.contentDocument)].map((d) => d?.body?.innerText ?? '').join('\\n')`;
    await this.waitFor(`the page to show ${texts.map((t) => JSON.stringify(t)).join(', ')}`, `((text) => ${JSON.stringify(texts)}.every((t) => text.includes(t)))(${pageText})`, timeoutMs);
  }

  /** Changes the viewport (CSS pixels), e.g. for a taller capture. */
  async resize(width: number, height: number): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  }

  /** Saves the viewport as a PNG. */
  async screenshot(file: string): Promise<void> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(data, 'base64'));
  }

  /** Closes the browser and removes its throw-away profile. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    await this.send('Browser.close', {}, false).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(this.profileDir, { recursive: true, force: true });
  }

  private send(method: string, params: Record<string, unknown> = {}, onPage = true): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = { id, method, params, ...(onPage && this.sessionId ? { sessionId: this.sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(`${JSON.stringify(message)}\0`);
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      this.buffer = this.buffer.slice(end + 1);
      if (message.id === undefined) continue; // an event: nothing here waits for events
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result ?? {});
    }
  }
}
