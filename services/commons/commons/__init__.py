"""meent commons: the places citizens steward, their seasonal uses, and their maintenance."""
