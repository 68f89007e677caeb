-- The edition guard, named in each edition document's front matter: Quarto runs it even on a
-- document rendered alone, where neither the project's pre-render step nor its filters run.
-- It refuses, in one line and before any file is written:
--   - a document rendered outside its edition (`quarto render rapport.qmd` without --profile fr):
--     without the project's config it would come out in English, without figures or numbers;
--   - `--to pdf`, which is LaTeX: the report's PDF is the typst format;
--   - any other format than the report's html, typst and docx.
-- The built-in renderer (plain pandoc, no `quarto`) does not run it.

local FORMATS = { html = true, typst = true, docx = true }

local function refuse(message)
  io.stderr:write("error: " .. message .. "\n")
  os.exit(1)
end

local function read(path)
  local file = io.open(path, "r")
  if file == nil then
    return nil
  end
  local text = file:read("a")
  file:close()
  return text
end

-- the profile whose project: render: lists the document (_quarto-<lang>.yml)
local function profile_of(root, name)
  for _, file in ipairs(pandoc.system.list_directory(root)) do
    local lang = file:match("^_quarto%-([%w_-]+)%.ya?ml$")
    local text = lang and read(pandoc.path.join({ root, file }))
    if text and text:find("- " .. name, 1, true) then
      return lang
    end
  end
  return nil
end

local function active_profile()
  -- Quarto sets it, to the profile group's first language when none is given
  return (os.getenv("QUARTO_PROFILE") or ""):match("^[^,%s]+") or "<lang>"
end

function Pandoc(doc)
  if quarto == nil then
    return nil
  end
  local root = quarto.project.directory or pandoc.path.directory(quarto.doc.input_file)
  local name = pandoc.path.make_relative(quarto.doc.input_file, root)
  if doc.meta.impactreport == nil then -- the project's config did not apply
    local lang = profile_of(root, name)
    if lang then
      refuse(name .. " is rendered only as its edition: quarto render --profile " .. lang)
    end
    refuse(name .. " is not a document of an edition: quarto render --profile " .. active_profile())
  end
  if FORMAT == "latex" then
    refuse("--to pdf is LaTeX; the report's PDF is the typst format: quarto render --profile "
      .. active_profile() .. " --to typst")
  end
  if not FORMATS[FORMAT] then
    refuse("--to " .. FORMAT .. ": the report's formats are html, typst (the PDF) and docx")
  end
end
