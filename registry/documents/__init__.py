"""The approval document: a numbered PDF in the layout of Nghị định 30/2020/NĐ-CP, issued at
approval, signed PAdES where a certificate is configured, kept in the approved bucket."""
