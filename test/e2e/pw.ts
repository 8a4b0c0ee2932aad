// The slice of playwright-core's API that the harness uses, declared here because playwright-core
// is installed in the e2e cache (scripts/e2e-setup.sh), not in the repo's node_modules. Type-only:
// at run time the harness require()s the cached package.

export interface Locator {
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  first(): Locator;
  nth(index: number): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp; has?: Locator }): Locator;
  filter(options: { hasText?: string | RegExp; has?: Locator }): Locator;
  allInnerTexts(): Promise<string[]>;
  and(other: Locator): Locator;
  click(options?: { position?: { x: number; y: number }; timeout?: number }): Promise<void>;
  fill(value: string): Promise<void>;
  innerText(): Promise<string>;
  getAttribute(name: string): Promise<string | null>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
  evaluateAll<R>(fn: (elements: Element[]) => R): Promise<R>;
  evaluateAll<R, A>(fn: (elements: Element[], arg: A) => R, arg: A): Promise<R>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  scrollIntoViewIfNeeded(options?: { timeout?: number }): Promise<void>;
}

/** A document inside the page (code-server nests each webview two iframes deep). */
export interface Frame {
  url(): string;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  isDetached(): boolean;
}

export interface Page {
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp; has?: Locator }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp }): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  frames(): Frame[];
  screenshot(options: { path: string; timeout?: number }): Promise<Buffer>;
  waitForTimeout(ms: number): Promise<void>;
  setDefaultTimeout(ms: number): void;
  on(event: 'console', listener: (msg: { type(): string; text(): string }) => void): void;
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export declare const chromium: {
  launchPersistentContext(userDataDir: string, options: {
    executablePath: string; headless?: boolean; args?: string[]; env?: Record<string, string>;
    viewport?: { width: number; height: number }; timeout?: number;
  }): Promise<BrowserContext>;
};
