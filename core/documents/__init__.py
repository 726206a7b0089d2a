"""Files attached to records (documents): declared per record type through
``register_document_classes``, stored behind ``core.documents.storage``."""
