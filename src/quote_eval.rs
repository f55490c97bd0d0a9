//! PolNeAR and gold-file evaluation of quotes (being written).
