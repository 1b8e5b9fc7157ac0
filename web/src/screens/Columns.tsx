/** A table's head row: one column header per label, in order. */
export function Columns({ labels }: { labels: string[] }) {
  return (
    <thead>
      <tr>
        {labels.map((label, i) => (
          <th scope="col" key={i}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
