"""Live coaching: a camera (or a video file played as one), the same analysis, a window.

``capture`` grabs the newest frame on its own thread, ``session`` runs the loop
(analysis, sets, setup guidance, keys, cues, report), ``window`` is the only
module that talks to OpenCV's GUI, ``sound`` speaks or beeps without blocking.
"""
