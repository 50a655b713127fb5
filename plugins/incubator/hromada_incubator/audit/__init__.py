"""The incubator's security audit: after a security consultation the expert assesses each
checklist item (a finding, a risk level, a recommendation), and the community tracks every
recommendation to done. A completed audit is a completion requirement of the incubator stage.

Findings and recommendations are sealed under the community's data key: a leaked database
does not tell anyone where a community is weak.
"""
