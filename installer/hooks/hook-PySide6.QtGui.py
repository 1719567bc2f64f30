"""Replaces PyInstaller's hook for PySide6.QtGui (same collection, fewer Qt plugins).

Dropped before PyInstaller follows their library dependencies, so what only they need
(QtNetwork, Kerberos, GTK, Cairo, Pango ...) never enters the bundle:

* ``platforms``: the VNC server (a network listener has no place in this app), the
  embedded-Linux back ends (EGLFS, LinuxFB, minimal EGL, Vulkan KHR display);
* ``generic``: touch and evdev input plugins (TUIO listens on the network);
* ``egldeviceintegrations``: embedded-Linux only;
* ``platformthemes``: the GTK 3 theme (Linux only; the app follows the system palette);
* OpenGL integrations (the app paints with QPainter) and image formats it never reads;
* the native Wayland platform, its shell integrations and window decorations (1.8 MB
  with the libraries only they need), so that the fonts for names in every script
  fit under the bundle's 150 MB: on a Wayland desktop Qt falls back to xcb, which runs
  through XWayland (GNOME and KDE start it for X11 programs).

Kept: Windows, xcb, offscreen (``--self-test``) and minimal platforms, image formats,
icon engines and input contexts (IBus and compose keys, for typing names).
"""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROPPED_PLUGINS = (
    "platforms/qvnc",
    "platforms/libqvnc",
    "platforms/qeglfs",
    "platforms/libqeglfs",
    "platforms/qlinuxfb",
    "platforms/libqlinuxfb",
    "platforms/qminimalegl",
    "platforms/libqminimalegl",
    "platforms/qvkkhrdisplay",
    "platforms/libqvkkhrdisplay",
    "platforms/libqwayland",
    "wayland-shell-integration/",
    "wayland-decoration-client/",
    "generic/",
    "egldeviceintegrations/",
    "platformthemes/libqgtk3",
    # OpenGL buffer integrations: the app paints with QPainter only (no OpenGL).
    "xcbglintegrations/",
    "wayland-graphics-integration-client/",
    # Image formats the app never reads (PNG, BMP and the like are built in; SVG, ICO
    # and GIF plugins stay).
    "imageformats/qjpeg",
    "imageformats/libqjpeg",
    "imageformats/qtiff",
    "imageformats/libqtiff",
    "imageformats/qwebp",
    "imageformats/libqwebp",
    "imageformats/qicns",
    "imageformats/libqicns",
    "imageformats/qtga",
    "imageformats/libqtga",
    "imageformats/qwbmp",
    "imageformats/libqwbmp",
)


def _dropped(source: str) -> bool:
    path = source.replace("\\", "/")
    marker = "/plugins/"
    if marker not in path:
        return False
    plugin = path.split(marker, 1)[1]
    return plugin.startswith(DROPPED_PLUGINS)


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if not _dropped(source)]
