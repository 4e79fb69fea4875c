// The schedule board you can touch: drag a meeting (or an accepted request not placed yet) onto a cell, or pick it
// with Enter/Space and choose a cell with the arrow keys or Tab, Enter to put it down, Escape to put it back.
// While a meeting is picked, the cells it may not go to are marked with the server's reason (staff.meeting_cells).
// A drop is posted (fetch, CSRF header, JSON answer) and the grid is replaced by the server's one in place, so the
// page keeps its scroll position. The undo form and the participant filter work the same way. Without this script
// every cell's forms still work (templates/staff/schedule_board/_board_cell.html).
document.addEventListener("DOMContentLoaded", () => {
  const board = document.getElementById("board");
  const status = document.getElementById("board-status");
  const textBlock = document.getElementById("board-text");
  if (!board || !status || !textBlock) return;
  const text = JSON.parse(textBlock.textContent);
  const STAND_IN = "2147483647";
  const filter = document.getElementById("board-org");
  let picked = null; // {kind: "meeting"|"request", id, version, cell, blocked: {moves, swaps}|null, name}
  let dragging = false;

  const say = (message) => { status.textContent = message; };
  const url = (name, id) => board.dataset[name].replace(STAND_IN, String(id));
  const withZone = (address) => (board.dataset.zone ? `${address}?zone=${board.dataset.zone}` : address);
  const csrf = () => (board.querySelector("input[name=csrf_token]") || {}).value || "";
  const cells = () => Array.from(board.querySelectorAll("td.slot-cell"));
  const cellOf = (element) => (element ? element.closest("td.slot-cell") : null);

  const closedReason = (cell) => {
    if (!picked || !picked.blocked || cell === picked.cell) return null;
    const other = cell.dataset.meeting;
    if (other) {
      if (picked.kind === "request") return text.taken;
      return picked.blocked.swaps[other] || null;
    }
    return picked.blocked.moves[cell.dataset.slot] || null;
  };

  const cellLabel = (cell) => {
    const row = cell.parentElement;
    const time = row.querySelector("th") ? row.querySelector("th").textContent.trim() : "";
    const head = board.querySelectorAll("thead th")[cell.cellIndex];
    const column = head ? head.textContent.trim() : "";
    const who = cell.querySelector(".pick");
    return `${time} · ${column}: ${who ? who.textContent.trim() : text.free}`;
  };

  const mark = () => {
    for (const cell of cells()) {
      cell.classList.remove("closed", "target", "origin");
      cell.removeAttribute("title");
      const note = cell.querySelector(".why");
      if (note) note.remove();
      if (!picked) { // put down: the empty cells leave the tab order again
        cell.removeAttribute("tabindex");
        cell.removeAttribute("aria-label");
        continue;
      }
      if (!cell.dataset.meeting) { // marked again once the reasons came: keep the focus where it is
        cell.tabIndex = 0;
        cell.setAttribute("aria-label", cellLabel(cell));
      }
      if (cell === picked.cell) {
        cell.classList.add("origin");
        continue;
      }
      const reason = closedReason(cell);
      if (reason) {
        cell.classList.add("closed");
        cell.title = reason;
        const why = document.createElement("span");
        why.className = "why visually-hidden";
        why.textContent = text.closed.replace("{reason}", reason);
        cell.appendChild(why);
        if (!cell.dataset.meeting) cell.setAttribute("aria-label", `${cellLabel(cell)}. ${why.textContent}`);
      } else {
        cell.classList.add("target");
      }
    }
  };

  const applyFilter = () => {
    if (!filter) return;
    const only = filter.value;
    for (const card of board.querySelectorAll("[data-orgs]")) {
      const mine = only !== "" && card.dataset.orgs.split(" ").includes(only);
      card.classList.toggle("chosen", mine);
      card.classList.toggle("dimmed", only !== "" && !mine);
    }
  };

  const pick = async (button) => {
    const isRequest = Boolean(button.dataset.request);
    const id = isRequest ? button.dataset.request : button.dataset.meeting;
    picked = {
      kind: isRequest ? "request" : "meeting", id, version: button.dataset.version, cell: cellOf(button),
      blocked: null, name: button.textContent.trim(), button,
    };
    const current = picked;
    button.setAttribute("aria-pressed", "true");
    mark();
    try {
      const response = await fetch(url(isRequest ? "requestCellsUrl" : "cellsUrl", id),
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok && picked === current) {
        current.blocked = await response.json();
        mark();
        board.classList.add("marked");
      }
    } catch (error) {
      // Unmarked cells: the server still refuses a drop that breaks a rule.
    }
  };

  const release = () => {
    if (picked && picked.button) picked.button.removeAttribute("aria-pressed");
    picked = null;
    board.classList.remove("marked");
    mark();
  };

  const replaceGrid = (html, focusId) => {
    const scroll = [window.scrollX, window.scrollY];
    const wrap = board.querySelector(".board-wrap");
    const left = wrap ? wrap.scrollLeft : 0;
    board.innerHTML = html;
    const newWrap = board.querySelector(".board-wrap");
    if (newWrap) newWrap.scrollLeft = left;
    window.scrollTo(scroll[0], scroll[1]);
    applyFilter();
    if (focusId) {
      const again = board.querySelector(`.pick[data-meeting="${focusId}"]`);
      if (again) again.focus({ preventScroll: true });
    }
  };

  const post = async (address, body) => {
    say(text.saving);
    try {
      const response = await fetch(withZone(address), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(body || {}),
      });
      const answer = await response.json();
      return answer;
    } catch (error) {
      return { ok: false, message: text.failed };
    }
  };

  const drop = async (cell) => {
    if (!picked || !cell) return;
    const current = picked;
    if (cell === current.cell) {
      release();
      say(text.same);
      return;
    }
    const reason = closedReason(cell);
    if (reason) {
      say(text.closed.replace("{reason}", reason));
      return; // still picked: choose another cell, or Escape
    }
    release();
    const body = { slot: Number(cell.dataset.slot), table: cell.dataset.table || null };
    let answer;
    if (current.kind === "request") {
      answer = await post(url("placeUrl", current.id), body);
    } else {
      body.version = current.version;
      if (cell.dataset.meeting) {
        body.other = cell.dataset.meeting;
        const other = cell.querySelector(".pick");
        if (other) body.other_version = other.dataset.version;
      }
      answer = await post(url("dropUrl", current.id), body);
    }
    if (answer.html) replaceGrid(answer.html, current.kind === "meeting" ? current.id : null);
    say(answer.message || text.failed);
  };

  // --- the mouse: HTML5 drag and drop -------------------------------------------------------------
  board.addEventListener("dragstart", (event) => {
    const button = event.target.closest ? event.target.closest(".pick") : null;
    if (!button || button.dataset.locked) {
      event.preventDefault();
      return;
    }
    dragging = true;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", button.dataset.meeting || button.dataset.request);
    pick(button);
  });
  let over = null; // the cell under the pointer: when it refused the drop, its reason is said at the end
  board.addEventListener("dragover", (event) => {
    const cell = cellOf(event.target);
    over = cell;
    if (picked && cell && !closedReason(cell)) event.preventDefault(); // a cell that takes the drop
  });
  board.addEventListener("drop", (event) => {
    const cell = cellOf(event.target);
    const current = picked;
    event.preventDefault();
    dragging = false;
    drop(cell).then(() => {
      if (picked === current) release(); // refused here: the reason stays said, the marks go
    });
  });
  board.addEventListener("dragend", () => {
    if (dragging) { // dropped nowhere, or on a cell that refused it
      const reason = over ? closedReason(over) : null;
      dragging = false;
      release();
      say(reason ? text.closed.replace("{reason}", reason) : text.cancelled);
    }
    over = null;
  });

  // --- the keyboard (and a click): pick, go through the cells, put down ---------------------------
  board.addEventListener("click", (event) => {
    const button = event.target.closest(".pick");
    if (!button) return;
    event.preventDefault();
    if (picked) {
      if (picked.button === button) {
        release();
        say(text.cancelled);
      } else {
        drop(cellOf(button));
      }
      return;
    }
    if (button.dataset.locked) {
      say(text.closed.replace("{reason}", button.closest(".cell").querySelector(".badge").textContent));
      return;
    }
    pick(button).then(() => undefined);
    say(text.picked.replace("{name}", button.textContent.trim()));
  });

  const focusCell = (cell) => {
    if (!cell) return;
    const button = cell.querySelector(".pick");
    (button || cell).focus();
    const reason = closedReason(cell);
    if (reason && button) say(text.closed.replace("{reason}", reason));
  };

  board.addEventListener("keydown", (event) => {
    if (!picked) return;
    const cell = cellOf(event.target);
    if (event.key === "Escape") {
      event.preventDefault();
      const button = picked.button;
      release();
      say(text.cancelled);
      if (button && document.body.contains(button)) button.focus();
      return;
    }
    if (!cell) return;
    if ((event.key === "Enter" || event.key === " ") && event.target === cell) {
      event.preventDefault();
      drop(cell);
      return;
    }
    const row = cell.parentElement;
    const rows = Array.from(row.parentElement.children);
    const column = Array.from(row.querySelectorAll("td.slot-cell")).indexOf(cell);
    let next = null;
    if (event.key === "ArrowRight") next = cell.nextElementSibling;
    else if (event.key === "ArrowLeft") next = cell.previousElementSibling;
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const other = rows[rows.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)];
      next = other ? other.querySelectorAll("td.slot-cell")[column] : null;
    } else return;
    if (next && next.matches("td.slot-cell")) {
      event.preventDefault();
      focusCell(next);
    }
  });

  // --- undo and the filter, without reloading the page --------------------------------------------
  board.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.id !== "board-undo") return;
    event.preventDefault();
    const answer = await post(board.dataset.undoUrl);
    if (answer.html) replaceGrid(answer.html, null);
    say(answer.message || text.failed);
    const again = board.querySelector("#board-undo button"); // the old button is gone with the old grid
    (again && !again.disabled ? again : status).focus({ preventScroll: true });
  });
  if (filter) {
    filter.addEventListener("change", applyFilter);
  }
});
