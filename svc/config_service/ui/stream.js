// The change feed as Server-Sent Events, read with fetch (EventSource cannot send an
// Authorization header). Starts from a cursor taken first (so nothing committed while
// connecting is missed) and, after a drop, resumes with Last-Event-ID: nothing lost or repeated.
// A 401 (the token expired or was revoked) ends it: retrying could never succeed.

import { ApiError, authorization, get } from './api.js';

const MAX_BACKOFF_MS = 5000;

export function parseEventStream(onMessage, onComment) {
  let buffer = '';
  let fields = { data: [] };
  const line = (text) => {
    if (text === '') {
      if (fields.data.length) onMessage({ id: fields.id, event: fields.event || 'message', data: fields.data.join('\n') });
      fields = { data: [] };
      return;
    }
    if (text.startsWith(':')) { onComment(text.slice(1).trim()); return; }
    const colon = text.indexOf(':');
    const name = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') fields.data.push(value);
    else if (name === 'id' || name === 'event') fields[name] = value;
  };
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    lines.forEach(line);
  };
}

export function followEvents({ onEvent, onState, onUnauthorized }) {
  let cursor = null;
  let stopped = false;
  let controller = null;
  let backoff = 500;
  let wake = null;
  const state = (name) => { if (!stopped) onState(name); };
  const pause = (ms) => new Promise((resolve) => { wake = resolve; setTimeout(resolve, ms); });

  async function readOnce() {
    controller = new AbortController();
    if (cursor === null) cursor = (await get('/api/v1/events?after=now', { signal: controller.signal })).data.next;
    const response = await fetch('/api/v1/events/stream', {
      headers: { ...authorization(), Accept: 'text/event-stream', 'Last-Event-ID': cursor },
      signal: controller.signal,
      cache: 'no-store',
    });
    if (!response.ok) throw new ApiError(response.status, `stream answered ${response.status}`);
    const decoder = new TextDecoder();
    const feed = parseEventStream((message) => {
      if (message.id) cursor = message.id;
      if (message.event === 'config_event') onEvent(JSON.parse(message.data));
    }, () => { backoff = 500; state('live'); });
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      feed(decoder.decode(value, { stream: true }));
    }
  }

  async function run() {
    while (!stopped) {
      try {
        await readOnce();
      } catch (error) {
        if (stopped) return;
        if (error instanceof ApiError && error.status === 401) {
          stop();
          onUnauthorized();
          return;
        }
      }
      state(navigator.onLine === false ? 'offline' : 'reconnecting');
      await pause(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  const online = () => { backoff = 500; if (wake) wake(); };
  const offline = () => { state('offline'); if (controller) controller.abort(); };
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  function stop() {
    stopped = true;
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    if (controller) controller.abort();
  }
  state('reconnecting');
  run();
  return { stop };
}
