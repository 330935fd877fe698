/**
 * One LogOutputChannel ("Git Incidents") behind the core's Logger. Each line is tagged with
 * the component that wrote it. `gitIncidents.logLevel` filters first; a line it lets through
 * that the channel's own level (Developer: Set Log Level) would hide is written at info with
 * its level in the text, so raising the setting alone is enough to see debug lines.
 */
import * as vscode from 'vscode';
import type { Logger, LogLevel } from '../core/log';
import type { LogSetting } from './config';

const ORDER: Record<LogSetting, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  off: 5,
};

const CHANNEL_LEVEL: Record<LogLevel, vscode.LogLevel> = {
  trace: vscode.LogLevel.Trace,
  debug: vscode.LogLevel.Debug,
  info: vscode.LogLevel.Info,
  warn: vscode.LogLevel.Warning,
  error: vscode.LogLevel.Error,
};

/** The extension's log: owns the channel and hands out tagged loggers. */
export class ExtensionLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(
    name: string,
    private level: LogSetting,
  ) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  setLevel(level: LogSetting): void {
    this.level = level;
  }

  /** A core Logger whose lines start with `[component]`. */
  for(component: string): Logger {
    const at = (level: LogLevel) => (message: string) => this.write(level, component, message);
    return {
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    };
  }

  private write(level: LogLevel, component: string, message: string): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const line = `[${component}] ${message}`;
    const channelLevel = this.channel.logLevel;
    const shown = channelLevel !== vscode.LogLevel.Off && CHANNEL_LEVEL[level] >= channelLevel;
    if (!shown) {
      this.channel.info(`(${level}) ${line}`);
      return;
    }
    switch (level) {
      case 'trace':
        return this.channel.trace(line);
      case 'debug':
        return this.channel.debug(line);
      case 'info':
        return this.channel.info(line);
      case 'warn':
        return this.channel.warn(line);
      case 'error':
        return this.channel.error(line);
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
