//! Server-rendered SVG charts (pure).
