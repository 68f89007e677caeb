-- An image with an alt attribute and no alt inlines gets its alt attribute as inlines.
--
-- Quarto copies a figure's fig-alt to its image's alt attribute, but pandoc's Word writer takes
-- the description (descr) of an image outside a pandoc Figure from its inlines, and Quarto's Word
-- figures are such images: without this the Word edition has no alt text. Both renderers run it
-- at post-render, just before the writer; the built-in renderer's images already have their
-- inlines, so for it this changes nothing.

function Image(image)
  local alt = image.attributes["alt"]
  if alt ~= nil and alt ~= "" and #image.caption == 0 then
    image.caption = pandoc.Inlines({ pandoc.Str(alt) })
    return image
  end
end
