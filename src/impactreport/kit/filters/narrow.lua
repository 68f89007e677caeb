-- On a phone, the chart drawn for a phone (analysis/charts.py, NARROW): in HTML, an image
-- <folder>/<name>.svg with a <folder>/<name>.narrow.svg beside it becomes both images, the same
-- alt text on each, and the stylesheet shows one per screen width (.chart-wide, .chart-narrow).
-- Two <img src>, not <picture><source srcset>: embed-resources (pandoc's, which Quarto uses too)
-- embeds src but leaves a srcset pointing at the file. Both renderers run it at post-render.

local function is_html()
  if quarto ~= nil and quarto.doc ~= nil then
    return quarto.doc.is_format("html")
  end
  return FORMAT:match("html") ~= nil
end

local function folders()
  local found = {}
  if quarto ~= nil and quarto.project ~= nil and quarto.project.directory ~= nil then
    table.insert(found, quarto.project.directory)
  end
  for _, folder in ipairs(PANDOC_STATE.resource_path or {}) do
    table.insert(found, folder)
  end
  table.insert(found, ".")
  return found
end

local function exists(src)
  for _, folder in ipairs(folders()) do
    local file = io.open(pandoc.path.join({ folder, src }), "r")
    if file ~= nil then
      file:close()
      return true
    end
  end
  return false
end

function Image(image)
  if not is_html() or not image.src:match("%.svg$") or image.src:match("%.narrow%.svg$") then
    return nil
  end
  local narrow = image.src:gsub("%.svg$", ".narrow.svg")
  if not exists(narrow) then
    return nil
  end
  local wide = image:clone()
  wide.classes:insert("chart-wide")
  local small = image:clone()
  small.src = narrow
  small.identifier = "" -- an id names one element
  small.classes:insert("chart-narrow")
  return { wide, small }
end
