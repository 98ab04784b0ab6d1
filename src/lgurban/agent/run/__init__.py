"""The chat-run machinery: context, event bus, message journal, stream translator, run lease, manager.

They depend one way: manager → (lease, journal, translate, bus, replay) → context/events; each is
testable alone. `lgurban.agent.runs` re-exports the public names.
"""
