"""The spreadsheet round trip: ``export`` writes a checked handbook as tables (XLSX, CSV, JSON) and
``import`` reads them back into files. One layout for both directions (layout.py), one reader per
format giving the same rows (read_xlsx.py, read_csv.py, read_json.py → rows.py), and one mapper from
rows to file data and text (to_files.py). Planning on a scratch copy and writing are orchestration:
rolebook/app/importing.py."""
