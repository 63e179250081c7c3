// The phone page of `coach serve`: lists the sessions, plays one, shows the cue being
// spoken and the chapters to jump to. Everything comes from the same server
// (sessions.json, each session's MP3 and .timeline.json); nothing from elsewhere.
// ?session=N&t=SECONDS opens session N at that second.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const audio = $("player");
  const state = { sessions: [], cover: null, current: null, cues: [], chapters: [] };
  const SAVE_EVERY = 5; // seconds of playback between saves of the position

  function clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    const m = Math.floor(whole / 60);
    const s = String(whole % 60).padStart(2, "0");
    return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  function storageKey(session, what) {
    return `coach:${what}:${session.mp3}`;
  }

  function remember(session, what, value) {
    try { localStorage.setItem(storageKey(session, what), String(value)); } catch (e) { /* private mode */ }
  }

  function recall(session, what) {
    try { return localStorage.getItem(storageKey(session, what)); } catch (e) { return null; }
  }

  // The last item of `items` (sorted by start) that starts at or before t. The audio
  // element keeps time to the microsecond: a seek to a chapter's start may land a hair
  // before it, which must still count as inside.
  const SLACK = 0.005;
  function lastStarted(items, t) {
    t += SLACK;
    let low = 0, high = items.length - 1, found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (items[mid].start <= t) { found = mid; low = mid + 1; } else { high = mid - 1; }
    }
    return found;
  }

  function showCue() {
    const t = audio.currentTime;
    const box = $("cue");
    const i = lastStarted(state.cues, t);
    if (i < 0) {
      box.textContent = "";
      box.className = "";
    } else {
      const cue = state.cues[i];
      box.textContent = cue.text;
      box.className = t < cue.end ? "speaking" : "said";
    }
    const c = lastStarted(state.chapters, t);
    $("chapter").textContent = c >= 0 ? `Chapter ${c + 1} of ${state.chapters.length}: ${state.chapters[c].title}` : "";
    const buttons = $("chapters").children;
    for (let k = 0; k < buttons.length; k++) {
      const now = k === c;
      if (now && !buttons[k].classList.contains("current")) {
        const nav = $("chapters"); // scroll the row only, never the page
        nav.scrollLeft = buttons[k].offsetLeft - nav.offsetLeft;
      }
      buttons[k].classList.toggle("current", now);
    }
  }

  function seek(seconds) {
    const end = Number.isFinite(audio.duration) ? audio.duration : seconds;
    audio.currentTime = Math.max(0, Math.min(seconds, end));
    showCue();
  }

  function jumpChapter(step) {
    const t = audio.currentTime;
    let c = lastStarted(state.chapters, t);
    // "previous" from inside a chapter goes back to its start first, like a player does
    if (step < 0 && c >= 0 && t - state.chapters[c].start > 3) step = 0;
    c = Math.max(0, Math.min(state.chapters.length - 1, c + step));
    if (state.chapters.length) seek(state.chapters[c].start);
  }

  function renderChapters() {
    const nav = $("chapters");
    nav.replaceChildren();
    state.chapters.forEach((chapter, k) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${clock(chapter.start)} ${chapter.title}`;
      button.dataset.start = String(chapter.start);
      button.addEventListener("click", () => seek(chapter.start));
      nav.appendChild(button);
    });
  }

  function mediaSession(session) {
    if (!("mediaSession" in navigator)) return;
    const ms = navigator.mediaSession;
    if (typeof MediaMetadata === "function") {
      const artwork = state.cover ? [{ src: state.cover, type: "image/png" }] : [];
      ms.metadata = new MediaMetadata({ title: session.title, artist: "coach", album: session.album, artwork });
    }
    const actions = {
      play: () => audio.play(),
      pause: () => audio.pause(),
      seekbackward: (d) => seek(audio.currentTime - (d.seekOffset || 10)),
      seekforward: (d) => seek(audio.currentTime + (d.seekOffset || 10)),
      seekto: (d) => seek(d.seekTime),
      previoustrack: () => jumpChapter(-1),
      nexttrack: () => jumpChapter(1),
    };
    for (const [name, handler] of Object.entries(actions)) {
      try { ms.setActionHandler(name, handler); } catch (e) { /* not supported here */ }
    }
  }

  function positionState() {
    if (!("mediaSession" in navigator) || !navigator.mediaSession.setPositionState) return;
    if (!Number.isFinite(audio.duration) || audio.duration <= 0) return;
    try {
      navigator.mediaSession.setPositionState({
        duration: audio.duration,
        playbackRate: audio.playbackRate || 1,
        position: Math.min(audio.currentTime, audio.duration),
      });
    } catch (e) { /* an old browser's stricter checks */ }
  }

  async function open(session, startAt) {
    state.current = session;
    state.chapters = session.chapters.slice().sort((a, b) => a.start - b.start);
    state.cues = [];
    $("now").hidden = false;
    $("now-title").textContent = session.title;
    const album = session.album === session.title ? "" : session.album;
    $("now-album").textContent = session.track ? `${session.album} · ${session.track}${session.tracks ? " of " + session.tracks : ""}` : album;
    for (const li of $("sessions").children) li.classList.toggle("current", li.dataset.id === String(session.id));
    renderChapters();
    mediaSession(session);
    const saved = Number(recall(session, "position"));
    const at = startAt !== null ? startAt : (saved > 0 && saved < session.duration - 5 ? saved : 0);
    audio.src = session.mp3;
    audio.dataset.session = String(session.id);
    const placed = () => { seek(at); positionState(); };
    audio.addEventListener("loadedmetadata", placed, { once: true });
    audio.load();
    if (session.timeline) {
      try {
        const response = await fetch(session.timeline, { cache: "no-cache" });
        const timeline = await response.json();
        if (state.current !== session) return;
        state.cues = (timeline.cues || [])
          .filter((c) => typeof c.start === "number" && typeof c.text === "string")
          .map((c) => ({ start: c.start, end: typeof c.end === "number" ? c.end : c.start, text: c.text }))
          .sort((a, b) => a.start - b.start);
      } catch (e) {
        $("status").textContent = "The cues of this session could not be read.";
      }
    }
    document.body.dataset.cues = String(state.cues.length);
    showCue();
  }

  function renderSessions() {
    const list = $("sessions");
    list.replaceChildren();
    for (const session of state.sessions) {
      const li = document.createElement("li");
      li.dataset.id = String(session.id);
      if (recall(session, "done")) li.classList.add("done");
      const button = document.createElement("button");
      button.type = "button";
      const title = document.createElement("span");
      title.className = "title";
      title.textContent = session.title;
      const meta = document.createElement("span");
      meta.className = "meta";
      const where = session.track ? `${session.album} · ${session.track}${session.tracks ? "/" + session.tracks : ""}` : session.album;
      meta.textContent = `${where} · ${clock(session.duration)}`;
      button.append(title, meta);
      button.addEventListener("click", () => { open(session, null).then(() => audio.play()).catch(() => {}); });
      li.appendChild(button);
      list.appendChild(li);
    }
  }

  async function start() {
    let listing;
    try {
      const response = await fetch("sessions.json", { cache: "no-cache" });
      listing = await response.json();
    } catch (e) {
      $("status").textContent = "The sessions could not be loaded from the server.";
      return;
    }
    state.sessions = listing.sessions || [];
    state.cover = listing.cover;
    if (listing.feed) $("feed").hidden = false;
    $("status").textContent = state.sessions.length
      ? `${state.sessions.length} session${state.sessions.length === 1 ? "" : "s"}`
      : "No sessions yet: render one with coach render.";
    renderSessions();
    const query = new URLSearchParams(location.search);
    const wanted = state.sessions.find((s) => String(s.id) === query.get("session"));
    const t = query.has("t") ? Number(query.get("t")) : null;
    const first = wanted || state.sessions.find((s) => !recall(s, "done")) || state.sessions[0];
    if (first) await open(first, Number.isFinite(t) ? t : null);
    document.body.dataset.ready = "true";
  }

  let lastSaved = 0;
  audio.addEventListener("timeupdate", () => {
    showCue();
    if (state.current && Math.abs(audio.currentTime - lastSaved) >= SAVE_EVERY) {
      lastSaved = audio.currentTime;
      remember(state.current, "position", audio.currentTime.toFixed(1));
    }
  });
  audio.addEventListener("seeked", () => { showCue(); positionState(); });
  audio.addEventListener("pause", () => { if (state.current) remember(state.current, "position", audio.currentTime.toFixed(1)); });
  audio.addEventListener("ratechange", positionState);
  audio.addEventListener("ended", () => {
    if (!state.current) return;
    remember(state.current, "done", "1");
    remember(state.current, "position", "0");
    const li = $("sessions").querySelector(`li[data-id="${state.current.id}"]`);
    if (li) li.classList.add("done");
  });

  start();
})();
