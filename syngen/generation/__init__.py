"""The generation engine: plan rows, prompt the model, validate, deduplicate, top up, write."""
