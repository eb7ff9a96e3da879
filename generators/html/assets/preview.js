/* sosmeta form preview: language switch, repeats, client-side checks and the document as JSON.
 *
 * The page is rendered from a form definition; every element node is a `.section`, `.repeat` or `.field`
 * with data-key (its JSON key) and data-required. The checks follow the validator's main rules: required
 * elements (relative to an included parent), minimum/maximum repeats, date and date-time patterns with real
 * calendar dates, code lists, numbers, the structure's own patterns and minLength. Messages never repeat the
 * value that was typed.
 */
(function () {
  "use strict";

  var MESSAGES = {
    fi: {
      required: "Pakollinen tieto puuttuu.",
      minItems: "Vähintään {n} kohdetta vaaditaan.",
      maxItems: "Enintään {n} kohdetta.",
      date: "Anna päivämäärä muodossa VVVV, VVVV-KK tai VVVV-KK-PP.",
      datetime: "Anna aika muodossa VVVV-KK-PP tai VVVV-KK-PPTtt:mm:ss+02:00 (aikavyöhyke pakollinen).",
      calendar: "Päivämäärää ei ole kalenterissa.",
      hetu: "Henkilötunnus ei ole kelvollinen (muoto tai tarkistemerkki).",
      number: "Anna luku (esim. 12 tai 12,5).",
      code: "Koodi ei ole sallittujen koodien joukossa.",
      pattern: "Arvo ei ole sallitussa muodossa.",
      unit: "Anna sekä arvo että yksikkö.",
      summary: "{n} virhettä lomakkeessa:",
      ok: "Lomakkeessa ei löytynyt virheitä."
    },
    sv: {
      required: "Obligatorisk uppgift saknas.",
      minItems: "Minst {n} poster krävs.",
      maxItems: "Högst {n} poster.",
      date: "Ange datum i formen ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.",
      datetime: "Ange tid i formen ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm:ss+02:00 (tidszon krävs).",
      calendar: "Datumet finns inte i kalendern.",
      hetu: "Personbeteckningen är inte giltig (form eller kontrolltecken).",
      number: "Ange ett tal (t.ex. 12 eller 12,5).",
      code: "Koden finns inte bland de tillåtna koderna.",
      pattern: "Värdet har inte tillåten form.",
      unit: "Ange både värde och enhet.",
      summary: "{n} fel i blanketten:",
      ok: "Inga fel hittades i blanketten."
    }
  };
  var DATE = /^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?$/;
  var DATETIME = /^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
  var NUMBER = /^-?[0-9]+([.,][0-9]+)?([eE][-+]?[0-9]+)?$/;
  var HETU_SYSTEM = "urn:oid:1.2.246.21";
  var HETU = /^([0-9]{6})[-+A-FU-Y]([0-9]{3})([0-9A-Y])$/;
  var lang = "fi";
  var counter = 0;

  function message(code, n) {
    var text = (MESSAGES[lang] || MESSAGES.fi)[code] || code;
    return text.replace("{n}", String(n));
  }

  // ---- language -------------------------------------------------------------------------------------
  function translate(scope) {
    var nodes = scope.querySelectorAll("[data-fi]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var text = el.getAttribute("data-" + lang) || el.getAttribute("data-fi");
      if (el.tagName === "INPUT" || el.tagName === "TEXTAREA") el.placeholder = text;
      else el.textContent = text;
    }
    var errors = scope.querySelectorAll(".error[data-code]");
    for (var j = 0; j < errors.length; j++) {
      errors[j].textContent = message(errors[j].getAttribute("data-code"), errors[j].getAttribute("data-n"));
    }
  }

  function setLang(value) {
    lang = value === "sv" ? "sv" : "fi";
    document.documentElement.lang = lang;
    var buttons = document.querySelectorAll(".lang button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-lang") === lang));
    }
    translate(document);
    renumberAll();
    if (document.getElementById("output") && !document.getElementById("output").hidden) showJson();
  }

  // ---- repeats --------------------------------------------------------------------------------------
  function directItems(repeat) {
    return repeat.querySelectorAll(":scope > .items > .item");
  }

  function addItem(repeat, focus) {
    var template = repeat.querySelector(":scope > template");
    var fragment = template.content.cloneNode(true);
    var tag = "r" + (++counter);
    var all = fragment.querySelectorAll("[id], [for], [aria-describedby], [aria-labelledby], [list], [data-filter]");
    for (var i = 0; i < all.length; i++) {
      ["id", "for", "aria-describedby", "aria-labelledby", "list", "data-filter"].forEach(function (name) {
        var v = all[i].getAttribute(name);
        if (v && v.indexOf("__R__") >= 0) all[i].setAttribute(name, v.split("__R__").join(tag));
      });
    }
    var item = fragment.firstElementChild;
    repeat.querySelector(":scope > .items").appendChild(fragment);
    translate(item);
    initRepeats(item);
    update(repeat);
    if (focus) {
      var first = item.querySelector("input, select, textarea");
      if (first) first.focus();
    }
    return item;
  }

  function update(repeat) {
    var items = directItems(repeat);
    var min = Number(repeat.getAttribute("data-min") || 0);
    var max = repeat.hasAttribute("data-max") ? Number(repeat.getAttribute("data-max")) : Infinity;
    repeat.querySelector(":scope > .add").disabled = items.length >= max;
    for (var i = 0; i < items.length; i++) {
      items[i].querySelector(":scope > .remove").disabled = items.length <= min;
      var numbers = items[i].querySelectorAll(".item-no");
      for (var k = 0; k < numbers.length; k++) {
        if (numbers[k].closest(".item") === items[i]) numbers[k].textContent = "(" + (i + 1) + ")";
      }
    }
  }

  function renumberAll() {
    var repeats = document.querySelectorAll(".repeat");
    for (var i = 0; i < repeats.length; i++) update(repeats[i]);
  }

  function initRepeats(scope) {
    var repeats = scope.querySelectorAll(".repeat");
    for (var i = 0; i < repeats.length; i++) {
      var repeat = repeats[i];
      if (repeat.hasAttribute("data-ready")) continue;
      repeat.setAttribute("data-ready", "true");
      var min = Number(repeat.getAttribute("data-min") || 0);
      for (var k = directItems(repeat).length; k < min; k++) addItem(repeat, false);
      update(repeat);
    }
  }

  // ---- reading values -------------------------------------------------------------------------------
  function part(field, name) {
    return field.querySelector("[data-part='" + name + "']");
  }

  function filled(scope) {
    var inputs = scope.querySelectorAll("input[data-part], select[data-part], textarea[data-part]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value.trim() !== "" && !inputs[i].hasAttribute("data-weak")) return true;
    }
    return false;
  }

  function realDate(value) {
    var m = /^-?([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?/.exec(value);
    if (!m || m[3] === undefined) return true;
    var year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
    var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return day >= 1 && day <= days;
  }

  // A Finnish personal identity code: form, a real birth date and the check character.
  function validHetu(value) {
    var m = HETU.exec(value);
    if (!m) return false;
    var dd = Number(m[1].slice(0, 2)), mm = Number(m[1].slice(2, 4));
    if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return false;
    return "0123456789ABCDEFHJKLMNPRSTUVWXY".charAt(Number(m[1] + m[2]) % 31) === m[3];
  }

  function Checker() {
    this.errors = [];
  }
  Checker.prototype.flag = function (el, pointer, code, n) {
    var box = el.querySelector(":scope > .error");
    if (box) {
      box.setAttribute("data-code", code);
      if (n !== undefined) box.setAttribute("data-n", String(n));
      box.textContent = message(code, n);
      box.hidden = false;
    }
    var inputs = el.querySelectorAll(":scope > input, :scope > select, :scope > textarea, :scope > fieldset > input");
    for (var i = 0; i < inputs.length; i++) inputs[i].setAttribute("aria-invalid", "true");
    this.errors.push({ pointer: pointer, code: code, key: el.getAttribute("data-key"), row: el.getAttribute("data-row"), element: el });
  };

  function clear(scope) {
    var boxes = scope.querySelectorAll(".error");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].hidden = true;
      boxes[i].textContent = "";
      boxes[i].removeAttribute("data-code");
    }
    var invalid = scope.querySelectorAll("[aria-invalid]");
    for (var j = 0; j < invalid.length; j++) invalid[j].removeAttribute("aria-invalid");
  }

  function pointerOf(path) {
    return "/" + path.map(function (p) { return String(p).replace(/~/g, "~0").replace(/\//g, "~1"); }).join("/");
  }

  // A field's value, or undefined when empty. `included`: the parent object is in the document, so a
  // required field must have a value.
  function readField(field, path, included, checker, forceRequired) {
    var widget = field.getAttribute("data-widget");
    var pointer = pointerOf(path);
    var required = forceRequired || field.getAttribute("data-required") === "true";
    var value;
    var text;
    if (widget === "phrase") return included ? part(field, "phrase").getAttribute("data-value") : undefined;
    if (widget === "signature") value = undefined;
    else if (widget === "quantity") {
      var amount = part(field, "value").value.trim();
      var unit = part(field, "unit").value.trim();
      if (amount !== "" || (unit !== "" && !part(field, "unit").hasAttribute("data-weak"))) {
        if (amount === "" || unit === "") { checker.flag(field, pointer, "unit"); return undefined; }
        if (!NUMBER.test(amount)) { checker.flag(field, pointer, "number"); return undefined; }
        value = { value: Number(amount.replace(",", ".")), code: unit };
      }
    } else if (widget === "code") {
      var code = part(field, "code");
      var chosen = code.value.trim();
      if (chosen !== "") {
        var system = code.getAttribute("data-system") || (part(field, "system") ? part(field, "system").value.trim() : "");
        var display;
        if (code.tagName === "SELECT") {
          var option = code.options[code.selectedIndex];
          display = option.getAttribute("data-" + lang) || option.getAttribute("data-fi");
        } else {
          display = part(field, "display").value.trim();
          var allowed = code.getAttribute("data-enum");
          if (allowed && JSON.parse(allowed).indexOf(chosen) < 0) { checker.flag(field, pointer, "code"); return undefined; }
          var systemInput = part(field, "system");
          if (systemInput && systemInput.getAttribute("data-pattern") && !new RegExp(systemInput.getAttribute("data-pattern")).test(system)) {
            checker.flag(field, pointer, "pattern"); return undefined;
          }
        }
        value = { system: system, code: chosen, display: display };
      }
    } else {
      text = part(field, "value").value.trim();
      if (text !== "") {
        if (widget === "yes-no") value = text === "true";
        else if (widget === "number" || widget === "count") {
          // A count (Lkm) is a JSON number like any other: the validator accepts 2.5, so the page does too.
          if (!NUMBER.test(text)) { checker.flag(field, pointer, "number"); return undefined; }
          value = Number(text.replace(",", "."));
        } else if (widget === "partial-date" || widget === "date-time") {
          if (!(widget === "partial-date" ? DATE : DATETIME).test(text)) {
            checker.flag(field, pointer, widget === "partial-date" ? "date" : "datetime"); return undefined;
          }
          if (!realDate(text)) { checker.flag(field, pointer, "calendar"); return undefined; }
          value = text;
        } else if (widget === "identifier") {
          var idSystem = part(field, "value").getAttribute("data-system") ||
            (part(field, "system") ? part(field, "system").value.trim() : "");
          if (idSystem === HETU_SYSTEM && !validHetu(text)) { checker.flag(field, pointer, "hetu"); return undefined; }
          value = idSystem ? { system: idSystem, value: text } : { value: text };
        } else {
          value = text;
        }
        var pattern = field.getAttribute("data-pattern");
        if (typeof value === "string" && pattern && !new RegExp(pattern).test(value)) {
          checker.flag(field, pointer, "pattern"); return undefined;
        }
      }
    }
    if (value === undefined && required && included) checker.flag(field, pointer, "required");
    return value;
  }

  function collectNode(el, path, parentIncluded, checker) {
    if (el.classList.contains("repeat")) return collectRepeat(el, path, parentIncluded, checker);
    if (el.classList.contains("section")) {
      var included = filled(el) || (el.getAttribute("data-required") === "true" && parentIncluded);
      return included ? collectChildren(el.querySelector(":scope > .children"), path, checker) : undefined;
    }
    return readField(el, path, parentIncluded, checker, false);
  }

  function collectChildren(container, path, checker) {
    var out = {};
    for (var i = 0; i < container.children.length; i++) {
      var child = container.children[i];
      var key = child.getAttribute("data-key");
      if (!key) continue;
      var value = collectNode(child, path.concat([key]), true, checker);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  function collectRepeat(repeat, path, parentIncluded, checker) {
    var items = directItems(repeat);
    var min = Number(repeat.getAttribute("data-min") || 0);
    var max = repeat.hasAttribute("data-max") ? Number(repeat.getAttribute("data-max")) : Infinity;
    var out = [];
    for (var i = 0; i < items.length; i++) {
      var inner = items[i].querySelector(":scope > .section, :scope > .field");
      var included = filled(items[i]) || (i < min && parentIncluded);
      var itemPath = path.concat([out.length]);
      var value;
      if (inner.classList.contains("section")) {
        value = included ? collectChildren(inner.querySelector(":scope > .children"), itemPath, checker) : undefined;
      } else {
        value = readField(inner, itemPath, included, checker, true);
      }
      if (value !== undefined) out.push(value);
    }
    if (parentIncluded && out.length < min) checker.flag(repeat, pointerOf(path), min === 1 ? "required" : "minItems", min);
    if (out.length > max) checker.flag(repeat, pointerOf(path), "maxItems", max);
    return out.length ? out : undefined;
  }

  // ---- filling the form from a document -------------------------------------------------------------
  function set(input, value) {
    if (input && value !== undefined && value !== null) input.value = String(value);
  }

  function loadField(field, value) {
    var widget = field.getAttribute("data-widget");
    if (widget === "phrase" || widget === "signature") return;
    if (widget === "quantity") { set(part(field, "value"), value.value); set(part(field, "unit"), value.code); return; }
    if (widget === "identifier") { set(part(field, "value"), value.value); if (part(field, "system")) set(part(field, "system"), value.system); return; }
    if (widget === "code") {
      set(part(field, "code"), value.code);
      if (part(field, "display")) set(part(field, "display"), value.display);
      if (part(field, "system")) set(part(field, "system"), value.system);
      return;
    }
    set(part(field, "value"), typeof value === "number" && widget === "number" ? String(value) : value);
  }

  function loadNode(el, value) {
    if (el.classList.contains("repeat")) {
      var items = directItems(el);
      for (var i = 0; i < value.length; i++) {
        var item = i < items.length ? items[i] : addItem(el, false);
        var inner = item.querySelector(":scope > .section, :scope > .field");
        if (inner.classList.contains("section")) loadChildren(inner.querySelector(":scope > .children"), value[i]);
        else loadField(inner, value[i]);
      }
    } else if (el.classList.contains("section")) {
      loadChildren(el.querySelector(":scope > .children"), value);
    } else {
      loadField(el, value);
    }
  }

  function loadChildren(container, value) {
    for (var i = 0; i < container.children.length; i++) {
      var child = container.children[i];
      var key = child.getAttribute("data-key");
      if (key && value && Object.prototype.hasOwnProperty.call(value, key)) loadNode(child, value[key]);
    }
  }

  // Fill an empty page from a document (e.g. to review a stored document in the form).
  function load(documentData) {
    var form = document.getElementById("form");
    loadChildren(form.querySelector(".children[data-root]"), documentData[form.getAttribute("data-document-key")]);
  }

  // ---- the whole form -------------------------------------------------------------------------------
  function collect() {
    var form = document.getElementById("form");
    clear(form);
    var checker = new Checker();
    var key = form.getAttribute("data-document-key");
    var document_ = {};
    document_[key] = collectChildren(form.querySelector(".children[data-root]"), [key], checker);
    return { document: document_, errors: checker.errors };
  }

  function summarise(errors) {
    var summary = document.getElementById("summary");
    summary.textContent = "";
    summary.className = "summary" + (errors.length ? "" : " ok");
    var head = document.createElement("p");
    head.textContent = errors.length ? message("summary", errors.length) : message("ok");
    summary.appendChild(head);
    if (!errors.length) return;
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var target = error.element.querySelector("input, select, textarea, button.add") || error.element;
      if (!target.id) target.id = "err-" + (++counter);
      link.href = "#" + target.id;
      var label = error.element.querySelector("label .t, legend .t, .label .t, h2 .t, h3 .t, h4 .t, h5 .t, h6 .t, .h .t");
      var box = error.element.querySelector(":scope > .error");
      link.textContent = (label ? label.textContent + ": " : "") + message(error.code, box ? box.getAttribute("data-n") : "");
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(list);
  }

  function check() {
    var result = collect();
    summarise(result.errors);
    return result;
  }

  function showJson() {
    var result = check();
    var output = document.getElementById("output");
    document.getElementById("json-output").textContent = JSON.stringify(result.document, null, 2);
    output.hidden = false;
    return result;
  }

  // A format check of one field as it changes (no "required" messages while typing).
  function checkOne(field) {
    clear(field);
    var checker = new Checker();
    readField(field, [], false, checker, false);
  }

  // ---- index page -----------------------------------------------------------------------------------
  function filterIndex() {
    var q = document.getElementById("q").value.trim().toLowerCase();
    var type = document.getElementById("type").value;
    var subject = document.getElementById("subject").value;
    var rows = document.querySelectorAll("table.index tbody tr");
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = (!q || row.getAttribute("data-search").indexOf(q) >= 0) &&
        (!type || row.getAttribute("data-type") === type) && (!subject || row.getAttribute("data-subject") === subject);
      row.hidden = !ok;
      shown += ok ? 1 : 0;
    }
    document.getElementById("count").textContent = shown + " / " + rows.length;
  }

  // ---- code lists: narrowing a long list, suggested codes ---------------------------------------------
  // A search box narrows its select to the codes whose code or fi/sv name contains what is typed.
  function filterCodes(box) {
    var select = document.getElementById(box.getAttribute("data-filter"));
    if (!select) return;
    var q = box.value.trim().toLowerCase();
    for (var i = 1; i < select.options.length; i++) {
      var o = select.options[i];
      var text = (o.value + " " + o.getAttribute("data-fi") + " " + o.getAttribute("data-sv")).toLowerCase();
      o.hidden = q !== "" && text.indexOf(q) < 0 && !o.selected;
    }
  }

  // A suggested code (datalist) fills its display with the code's name, unless the user wrote one.
  function suggestDisplay(input) {
    var list = input.list;
    var field = input.closest(".field");
    var display = field && part(field, "display");
    if (!list || !display) return;
    var name = "";
    for (var i = 0; i < list.options.length; i++) {
      var o = list.options[i];
      if (o.value === input.value.trim()) name = o.getAttribute("data-" + lang) || o.getAttribute("data-fi");
    }
    if (display.value === "" || display.hasAttribute("data-suggested")) {
      display.value = name;
      if (name) display.setAttribute("data-suggested", "true");
      else display.removeAttribute("data-suggested");
    }
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input.code-filter")) filterCodes(target);
    else if (target.matches && target.matches("input[list][data-part='code']")) suggestDisplay(target);
    else if (target.matches && target.matches("input[data-part='display']")) target.removeAttribute("data-suggested");
  });

  // ---- wiring ---------------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.matches(".lang button")) setLang(target.getAttribute("data-lang"));
    else if (target.matches("button.add")) addItem(target.closest(".repeat"), true);
    else if (target.matches("button.remove")) {
      var repeat = target.closest(".repeat");
      var item = target.closest(".item");
      var next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      update(repeat);
      (next ? next.querySelector("input, select, textarea") : repeat.querySelector(":scope > .add")).focus();
    } else if (target.id === "check") {
      check();
      document.getElementById("summary").focus();  // screen readers hear the summary; its links lead on
    }
    else if (target.id === "show-json") showJson();
  });
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest(".field");
    if (field) checkOne(field);
  });

  if (document.getElementById("form")) {
    initRepeats(document);
    window.sosmetaPreview = { collect: collect, check: check, showJson: showJson, setLang: setLang, addItem: addItem, load: load };
  }
  if (document.getElementById("q")) {
    ["input", "change"].forEach(function (name) {
      ["q", "type", "subject"].forEach(function (id) { document.getElementById(id).addEventListener(name, filterIndex); });
    });
    filterIndex();
    window.sosmetaPreview = { setLang: setLang, filter: filterIndex };
  }
}());
