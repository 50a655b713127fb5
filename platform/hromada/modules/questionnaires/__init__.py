"""One questionnaire engine: questions as data, answered through forms built from them, answers kept
with the version of the questions they answered. Programme calls, scholarship applications and their
reports all ask their questions through it."""
