/* rolebook site: sortable and filterable "all positions" table.
 * Sorting is tablesort (vendored from npm, templates/vendor/tablesort); the filter box is ours, and
 * so is the "due for review only" switch (when rolebook.yml sets review_every: the table then has
 * data-rbs-review, the rows due have data-rbs-due). Both are created here, so without JavaScript the
 * page shows a plain table (with its "due for review" marks) and no dead input. */
(function () {
  "use strict";

  function setup() {
    var table = document.getElementById("rbs-positions");
    if (!table || table.getAttribute("data-rbs-ready")) return;
    table.setAttribute("data-rbs-ready", "1");
    if (window.Tablesort) new window.Tablesort(table);

    var input = document.createElement("input");
    input.type = "search";
    input.className = "rbs-filter";
    input.placeholder = table.getAttribute("data-rbs-filter") || "";
    input.setAttribute("aria-label", table.getAttribute("data-rbs-filter-label") || "");
    var anchor = table.closest(".rbs-scroll") || table;
    anchor.parentNode.insertBefore(input, anchor);

    var dueOnly = null;
    var reviewLabel = table.getAttribute("data-rbs-review");
    if (reviewLabel) {
      var box = document.createElement("label");
      box.className = "rbs-review-filter";
      dueOnly = document.createElement("input");
      dueOnly.type = "checkbox";
      box.appendChild(dueOnly);
      box.appendChild(document.createTextNode(" " + reviewLabel));
      anchor.parentNode.insertBefore(box, anchor);
    }

    var nomatch = document.createElement("p");
    nomatch.className = "rbs-nomatch";
    nomatch.setAttribute("role", "status");
    nomatch.textContent = table.getAttribute("data-rbs-nomatch") || "";
    nomatch.hidden = true;
    anchor.parentNode.insertBefore(nomatch, anchor.nextSibling);

    // The columns take their widths from all rows once (a column is never narrower than its
    // longest word), then keep them while the filter hides rows; again when the window is resized.
    function freeze() {
      var cols = table.querySelectorAll("col");
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      if (cols.length !== heads.length) return;
      table.style.tableLayout = "";
      Array.prototype.forEach.call(cols, function (col) { col.style.width = ""; });
      var widths = Array.prototype.map.call(heads, function (th) { return th.getBoundingClientRect().width; });
      Array.prototype.forEach.call(cols, function (col, i) { col.style.width = widths[i] + "px"; });
      table.style.tableLayout = "fixed";
    }
    var hidden = function () { return table.querySelector("tbody tr[hidden]") !== null; };
    freeze();
    window.addEventListener("resize", function () { if (!hidden()) freeze(); });

    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var due = dueOnly !== null && dueOnly.checked;
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !match || (due && !row.hasAttribute("data-rbs-due"));
        if (!row.hidden) shown += 1;
      });
      nomatch.hidden = shown !== 0;
    }
    input.addEventListener("input", apply);
    if (dueOnly !== null) dueOnly.addEventListener("change", apply);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
