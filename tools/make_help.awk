# `make help`: every target of the Makefiles given, once, with the `## ` comment on its line, grouped.
# Groups: a `##@ Title` line, or a block heading `# --- Title (issue N) ---` (the convention of the Makefile's blocks).
# File targets (.venv/.synced, $(UV), …) are not listed; a target without a `## ` comment is listed as such.

function group_of(title) {
	sub(/[ \t]*\(issue[^)]*\)/, "", title)
	if (!(title in seen)) { seen[title] = 1; groups[++ngroups] = title }
	return title
}

/^##@ / { current = group_of(substr($0, 5)); next }
/^# --- / && $0 !~ /^# --- end of/ {
	title = substr($0, 7); sub(/[ \t]*-+[ \t]*$/, "", title); sub(/:.*/, "", title)
	current = group_of(title); next
}
/^[A-Za-z0-9][A-Za-z0-9_-]*:/ && $0 !~ /^[^:]*:=/ && $0 !~ /^[^:]*::?[ \t]*=/ {
	name = $0; sub(/:.*/, "", name)
	if (current == "") current = group_of("Targets")
	if (!(name in where)) { where[name] = current; order[current] = order[current] " " name }
	if (match($0, /## /)) text[name] = substr($0, RSTART + 3)
}

END {
	width = 0
	for (name in where) if (length(name) > width) width = length(name)
	for (g = 1; g <= ngroups; g++) {
		n = split(order[groups[g]], names, " ")
		if (n == 0) continue
		printf "\n%s\n", groups[g]
		for (i = 1; i <= n; i++) {
			description = (names[i] in text) ? text[names[i]] : "(no ## comment yet)"
			printf "  make %-" width "s  %s\n", names[i], description
		}
	}
}
