"""HTTP transport of the helpdesk core: parse, call one service, shape the reply."""
