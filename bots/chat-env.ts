/**
 * Imported first by bots/chat.ts, before anything creates the logger: JSON log lines would mix with
 * the conversation on stdout, so the terminal chat is quiet unless LOG_LEVEL asks otherwise.
 */
process.env.LOG_LEVEL ||= 'silent';
