// The MIAStats module; its worker handler is being built (see the issue tracker).
