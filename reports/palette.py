"""The visual language shared by the dashboard's plotly charts and the PDF's SVG charts.

Colours are from the Okabe–Ito set, which stays distinguishable for the common kinds of
colour blindness; charts never rely on colour alone (labels, markers and tables too).
"""

CURRENT = "#0072B2"  # this round: blue
PREVIOUS = "#E69F00"  # previous closed round: orange, drawn dashed
RANGE_FILL = "rgba(86, 180, 233, 0.25)"  # range of partner views: light sky blue band
RANGE_LINE = "#56B4E9"
VISION = "#009E73"  # group Vision: bluish green
BEHAVIOURS = "#CC79A7"  # group Behaviours: reddish purple
LIVED = "#D55E00"  # people with lived experience: vermillion, drawn as circles
ORGANISATIONS = "#0072B2"  # everyone else: blue, drawn as squares
INK = "#1d1d1b"
GRID = "#d0d0d0"

# The heatmap's diverging shades (static/css/charts.css, decision 0056): orange below the place
# view, blue above, pale near it; all light enough for dark text at 4.5:1 or more.
DIFFERENCE = {
    "much-lower": "#f1a340",
    "lower": "#fee0b6",
    "near": "#f7f7f7",
    "higher": "#d1e5f0",
    "much-higher": "#92c5de",
}
SERIES = [CURRENT, PREVIOUS, VISION, BEHAVIOURS, "#D55E00", "#56B4E9", "#F0E442", INK]
