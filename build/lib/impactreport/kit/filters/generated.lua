-- {{< generated name >}}, alone in its paragraph: the blocks of _generated/<name>.md.
--
-- The pre-render step writes _generated/ for the year and language being rendered. Quarto
-- expands {{< include >}} before pre-render runs, so generated content cannot be an include on a
-- fresh clone; this filter reads it at render time instead. Both renderers run it at pre-ast,
-- before figures and tables are numbered: under Quarto the placeholder is a shortcode span, under
-- the built-in renderer (plain pandoc) it is text.

local PATTERN = "^{{<%s*generated%s+([%w_-]+)%s*>}}$"

local function placeholder(para)
  local inlines = para.content
  if #inlines == 1 and inlines[1].t == "Span" and inlines[1].attributes["data-raw"] then
    return inlines[1].attributes["data-raw"]:match(PATTERN)
  end
  return pandoc.utils.stringify(para):match(PATTERN)
end

local function root()
  if quarto ~= nil and quarto.project ~= nil and quarto.project.directory ~= nil then
    return quarto.project.directory
  end
  return "." -- the built-in renderer runs pandoc in the project folder
end

local function blocks(name)
  local path = pandoc.path.join({ root(), "_generated", name .. ".md" })
  local file = io.open(path, "r")
  if file == nil then
    error("{{< generated " .. name .. " >}}: " .. path .. " not found: the pre-render step writes it")
  end
  local text = file:read("a")
  file:close()
  return pandoc.read(text, "markdown", PANDOC_READER_OPTIONS).blocks
end

function Para(para)
  local name = placeholder(para)
  if name ~= nil then
    return blocks(name)
  end
end
